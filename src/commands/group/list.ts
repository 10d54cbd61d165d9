import { Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { type GroupSummary, listGroups } from '../../lib/groups/describe.js';
import { explainLines, type TopicReaders, topicReaders } from '../../lib/groups/explain.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export interface GroupListResult {
  groups: GroupSummary[];
  /** With --explain: per topic, the groups that read it and how their members share it. */
  explain?: TopicReaders[];
}

export default class GroupList extends BaseCommand<GroupListResult> {
  static override summary = 'List consumer groups with state, members, protocol, topics and total lag.';
  static override description = `Lag is log end minus committed offset, summed over the partitions the group committed on.
--explain shows Kafka's hybrid model per topic: inside a group the members share the partitions
(a queue: each record to one member); every group gets every record (pub/sub).`;
  static override examples = ['<%= config.bin %> group list', '<%= config.bin %> group list --explain'];
  static override flags = {
    ...targetFlags,
    explain: Flags.boolean({ summary: 'Explain per topic how groups and members share the records.' }),
  };

  async run(): Promise<GroupListResult> {
    const { flags } = await this.parse(GroupList);
    const session = await this.session(flags);
    const { groups, partitionCounts } = await listGroups(session);
    const explain = flags.explain ? topicReaders(groups, (t) => partitionCounts[t] ?? 0) : undefined;
    if (!this.jsonEnabled()) {
      const out = output();
      if (groups.length === 0) out.line('no consumer groups');
      else
        out.line(
          renderTable(
            ['group', 'state', 'members', 'protocol', 'topics', 'total lag'],
            groups.map((g) => [
              g.group,
              g.state,
              g.members,
              g.protocolType ? `${g.protocolType}${g.protocol ? '/' + g.protocol : ''}` : '-',
              g.topics.join(',') || '-',
              g.totalLag,
            ]),
          ),
        );
      if (explain) {
        out.line();
        const lines = explainLines(explain);
        out.line(lines.length ? lines.join('\n') : 'no group reads any topic yet');
      }
    }
    return explain ? { groups, explain } : { groups };
  }
}
