import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../../lib/cli/base-command.js';
import { requireTopics, topicConfigs, type TopicConfigEntry } from '../../../lib/kafka/topics.js';
import { output } from '../../../lib/render/output.js';
import { renderTable } from '../../../lib/render/table.js';

export interface TopicConfigResult {
  topic: string;
  configs: TopicConfigEntry[];
}

export default class TopicConfigGet extends BaseCommand<TopicConfigResult> {
  static override summary = "Show a topic's configs (all, or the keys named).";
  static override examples = [
    '<%= config.bin %> topic config get orders',
    '<%= config.bin %> topic config get orders retention.ms retention.bytes',
  ];
  static override strict = false;
  static override args = {
    topic: Args.string({ ignoreStdin: true, required: true, description: 'Topic name' }),
    key: Args.string({ ignoreStdin: true, description: 'Config keys to show (default: all)' }),
  };
  static override flags = {
    ...targetFlags,
    overrides: Flags.boolean({ summary: 'Only keys set on the topic (not defaults).' }),
  };

  async run(): Promise<TopicConfigResult> {
    const { args, argv, flags } = await this.parse(TopicConfigGet);
    const keys = (argv as string[]).slice(1);
    const admin = await (await this.session(flags)).admin();
    await requireTopics(admin, [args.topic]);
    let configs = await topicConfigs(admin, args.topic, keys);
    if (flags.overrides) configs = configs.filter((c) => !c.isDefault);
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
