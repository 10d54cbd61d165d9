import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { EbError } from '../../lib/cli/errors.js';
import { describeGroup, type GroupDetail, listGroups } from '../../lib/groups/describe.js';
import { explainLines, memberLabels, type TopicReaders, topicReaders } from '../../lib/groups/explain.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export interface GroupDescribeResult extends GroupDetail {
  /** With --explain: the topics this group reads, with every group that reads them. */
  explain?: TopicReaders[];
}

export default class GroupDescribe extends BaseCommand<GroupDescribeResult> {
  static override summary =
    'Show a group: per partition committed offset, log end, lag and owner; its members.';
  static override description = `Lag is log end minus committed offset; "none committed" means the group never committed
for that partition (a new consumer would start where its auto.offset.reset says).
--explain shows Kafka's hybrid model: this group's members share the partitions (a queue),
and every group reading the same topic gets every record (pub/sub).`;
  static override examples = [
    '<%= config.bin %> group describe billing',
    '<%= config.bin %> group describe billing --explain',
  ];
  static override args = {
    group: Args.string({ ignoreStdin: true, required: true, description: 'Consumer group id' }),
  };
  static override flags = {
    ...targetFlags,
    explain: Flags.boolean({ summary: 'Explain how this group and others share the topic’s records.' }),
  };

  async run(): Promise<GroupDescribeResult> {
    const { args, flags } = await this.parse(GroupDescribe);
    const session = await this.session(flags);
    const detail = await describeGroup(session, args.group);
    if (!detail.exists) {
      throw new EbError(`group ${args.group} does not exist`, {
        hint: 'list groups with `eventbench group list`',
      });
    }
    let explain: TopicReaders[] | undefined;
    if (flags.explain) {
      const { groups, partitionCounts } = await listGroups(session);
      explain = topicReaders(groups, (t) => partitionCounts[t] ?? 0).filter((r) =>
        detail.topics.includes(r.topic),
      );
    }
    if (!this.jsonEnabled()) render(detail, explain);
    return explain ? { ...detail, explain } : detail;
  }
}

function render(d: GroupDetail, explain: TopicReaders[] | undefined): void {
  const out = output();
  const labels = memberLabels(d.members);
  const proto = d.protocolType ? `${d.protocolType}${d.protocol ? '/' + d.protocol : ''}` : 'offsets only';
  const title = `${d.group}: ${d.state}, ${d.members.length} member(s), ${proto}, total lag ${d.totalLag}`;
  out.line(
    d.partitions.length
      ? renderTable(
          ['topic', 'partition', 'committed', 'log end', 'lag', 'member', 'host'],
          d.partitions.map((p) => [
            p.topic,
            p.partition,
            p.committed ?? 'none committed',
            p.logEnd,
            p.lag ?? '-',
            p.owner ? (labels.get(p.owner.memberId) ?? p.owner.clientId) : '-',
            p.owner?.host ?? '-',
          ]),
          { title },
        )
      : `${title}\nno committed offsets and no assigned partitions`,
  );
  if (d.members.length) {
    out.line();
    out.line(
      renderTable(
        ['member id', 'client id', 'host', 'assignment'],
        d.members.map((m) => [
          m.memberId,
          m.clientId,
          m.host,
          m.assignment.map((a) => `${a.topic}: ${a.partitions.join(',')}`).join('; ') || '(none)',
        ]),
      ),
    );
  }
  if (explain) {
    out.line();
    const lines = explainLines(explain, d.group);
    out.line(lines.length ? lines.join('\n') : 'the group reads no topic yet');
  }
}
