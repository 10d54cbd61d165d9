import { Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { listTopics, type TopicSummary } from '../../lib/kafka/topics.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export interface TopicListResult {
  topics: TopicSummary[];
}

export default class TopicList extends BaseCommand<TopicListResult> {
  static override summary = 'List topics with their partitions and record counts.';
  static override description =
    'Records counts are log end minus log start per partition, summed: what a consumer reading from earliest would see.';
  static override examples = ['<%= config.bin %> topic list', '<%= config.bin %> topic list --all --json'];
  static override flags = {
    ...targetFlags,
    all: Flags.boolean({ summary: 'Include internal topics such as __consumer_offsets.' }),
  };

  async run(): Promise<TopicListResult> {
    const { flags } = await this.parse(TopicList);
    const session = await this.session(flags);
    const topics = await listTopics(session, { internal: flags.all });
    if (!this.jsonEnabled()) {
      const out = output();
      if (topics.length === 0) out.line('no topics yet; create one with `eventbench topic create NAME`');
      else
        out.line(
          renderTable(
            ['topic', 'partitions', 'records'],
            topics.map((t) => [t.name, t.partitions, t.records]),
          ),
        );
    }
    return { topics };
  }
}
