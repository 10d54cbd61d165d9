import { Args } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { describeTopic, type TopicDetail } from '../../lib/kafka/topics.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export default class TopicDescribe extends BaseCommand<TopicDetail> {
  static override summary = 'Show partitions (leader, earliest, latest, count) and configs of a topic.';
  static override examples = [
    '<%= config.bin %> topic describe orders',
    '<%= config.bin %> topic describe orders --json',
  ];
  static override args = {
    topic: Args.string({ ignoreStdin: true, required: true, description: 'Topic name' }),
  };
  static override flags = { ...targetFlags };

  async run(): Promise<TopicDetail> {
    const { args, flags } = await this.parse(TopicDescribe);
    const session = await this.session(flags);
    const detail = await describeTopic(session, args.topic);
    if (!this.jsonEnabled()) {
      const out = output();
      out.line(
        renderTable(
          ['partition', 'leader', 'earliest', 'latest', 'records'],
          detail.partitions.map((p) => [p.partition, p.leader, p.earliest, p.latest, p.records]),
          { title: `${detail.name}: ${detail.partitions.length} partitions, ${detail.records} records` },
        ),
      );
      const overrides = detail.configs.filter((c) => !c.isDefault);
      out.line();
      out.line(
        overrides.length
          ? renderTable(
              ['config (non-default)', 'value'],
              overrides.map((c) => [c.name, c.value]),
            )
          : 'all configs at their defaults (see `topic config get` for values)',
      );
    }
    return detail;
  }
}
