import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../../lib/cli/base-command.js';
import { usageError } from '../../../lib/cli/errors.js';
import { parseConfigPairs, setTopicConfigs } from '../../../lib/kafka/topics.js';
import { output } from '../../../lib/render/output.js';
import { renderTable } from '../../../lib/render/table.js';
import type { TopicConfigResult } from './get.js';

export default class TopicConfigSet extends BaseCommand<TopicConfigResult> {
  static override summary = 'Change topic configs, e.g. retention.';
  static override description =
    'Other overrides on the topic are kept. --delete KEY returns a key to its default. Retention (retention.ms, retention.bytes) deletes whole old segments: after it runs, old offsets are really gone.';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> topic config set orders retention.ms=3600000',
    '<%= config.bin %> topic config set orders retention.bytes=10485760 segment.bytes=1048576',
    '<%= config.bin %> topic config set orders --delete retention.ms',
  ];
  static override args = {
    topic: Args.string({ ignoreStdin: true, required: true, description: 'Topic name' }),
    setting: Args.string({ ignoreStdin: true, description: 'key=value (several allowed)' }),
  };
  static override flags = {
    ...targetFlags,
    delete: Flags.string({ summary: 'Reset this key to its default (repeatable).', multiple: true }),
  };

  async run(): Promise<TopicConfigResult> {
    const { args, argv, flags } = await this.parse(TopicConfigSet);
    const changes: Record<string, string | null> = parseConfigPairs((argv as string[]).slice(1), 'setting');
    for (const k of flags.delete ?? []) changes[k] = null;
    if (Object.keys(changes).length === 0)
      throw usageError('nothing to change', 'give key=value settings or --delete KEY');
    const configs = await setTopicConfigs(await this.session(flags), args.topic, changes);
    if (!this.jsonEnabled()) {
      output().line(
        renderTable(
          ['key', 'value', 'source'],
          configs.map((c) => [c.name, c.value, c.isDefault ? 'default' : 'topic']),
        ),
      );
    }
    return { topic: args.topic, configs };
  }
}
