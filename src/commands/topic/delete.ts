import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { confirmOrForce } from '../../lib/cli/prompt.js';
import { deleteTopics } from '../../lib/kafka/topics.js';
import { output } from '../../lib/render/output.js';

export interface TopicDeleteResult {
  deleted: string[];
}

export default class TopicDelete extends BaseCommand<TopicDeleteResult> {
  static override summary = 'Delete topics and all their records.';
  static override description =
    'Asks for confirmation on a terminal. In scripts (no terminal, or --json) it refuses unless --force is given.';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> topic delete scratch',
    '<%= config.bin %> topic delete a b c --force',
  ];
  static override args = {
    topic: Args.string({ ignoreStdin: true, required: true, description: 'Topic name (several allowed)' }),
  };
  static override flags = {
    ...targetFlags,
    force: Flags.boolean({ char: 'f', summary: 'Delete without asking.' }),
  };

  async run(): Promise<TopicDeleteResult> {
    const { argv, flags } = await this.parse(TopicDelete);
    const topics = argv as string[];
    const ok = await confirmOrForce(`Delete ${topics.join(', ')} and all their records?`, {
      force: flags.force,
      json: this.jsonEnabled(),
      action: `delete ${topics.join(', ')}`,
    });
    if (!ok) {
      output().line('nothing deleted');
      return { deleted: [] };
    }
    const session = await this.session(flags);
    const deleted = await deleteTopics(session, topics);
    if (!this.jsonEnabled()) output().line(`deleted ${deleted.join(', ')}`);
    return { deleted };
  }
}
