/*
 * The teaching view of Kafka's "hybrid model": inside one consumer group the members split a
 * topic's partitions between them, so each record goes to one member (a queue); across groups,
 * each group reads every record at its own pace from its own committed offsets (pub/sub).
 * Pure: built from what `group list` / `group describe` already fetched.
 */

export interface ExplainInputGroup {
  group: string;
  topics: readonly string[];
  memberAssignments: readonly {
    memberId: string;
    clientId: string;
    assignment: readonly { topic: string; partitions: readonly number[] }[];
  }[];
}

export interface TopicReaders {
  topic: string;
  partitions: number;
  groups: {
    group: string;
    members: { label: string; memberId: string; partitions: number[] }[];
  }[];
}

/** A member's short name: its client id, with the member id's tail when client ids repeat. */
export function memberLabels(
  members: readonly { memberId: string; clientId: string }[],
): Map<string, string> {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.clientId, (counts.get(m.clientId) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const m of members) {
    const dup = (counts.get(m.clientId) ?? 0) > 1;
    out.set(m.memberId, dup || m.clientId === '' ? `${m.clientId}…${m.memberId.slice(-6)}` : m.clientId);
  }
  return out;
}

/** For each topic, the groups that read it and, per group, which member holds which partitions. */
export function topicReaders(
  groups: readonly ExplainInputGroup[],
  partitionCount: (topic: string) => number,
): TopicReaders[] {
  const topics = [...new Set(groups.flatMap((g) => g.topics))].sort();
  return topics.map((topic) => ({
    topic,
    partitions: partitionCount(topic),
    groups: groups
      .filter((g) => g.topics.includes(topic))
      .map((g) => {
        const labels = memberLabels(g.memberAssignments);
        return {
          group: g.group,
          members: g.memberAssignments.map((m) => ({
            label: labels.get(m.memberId) ?? m.clientId,
            memberId: m.memberId,
            partitions: [...(m.assignment.find((a) => a.topic === topic)?.partitions ?? [])].sort(
              (a, b) => a - b,
            ),
          })),
        };
      }),
  }));
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Lines of the explanation. With `focus`, only topics that group reads, and the focus group
 * first; other groups on the same topics are what makes pub/sub visible.
 */
export function explainLines(readers: readonly TopicReaders[], focus?: string): string[] {
  const lines: string[] = [];
  for (const t of readers) {
    const groups = focus
      ? [...t.groups].sort((a, b) => Number(b.group === focus) - Number(a.group === focus))
      : t.groups;
    if (focus && !groups.some((g) => g.group === focus)) continue;
    const names = groups.map((g) => g.group).join(', ');
    lines.push(
      `${t.topic} (${plural(t.partitions, 'partition')}) is read by ${plural(groups.length, 'group')}: ${names}`,
    );
    lines.push(
      groups.length > 1
        ? `  pub/sub: each of these groups gets every record of ${t.topic}, each from its own committed offsets`
        : `  pub/sub: this group gets every record of ${t.topic}; another group would get them all too`,
    );
    for (const g of groups) {
      const active = g.members.filter((m) => m.partitions.length > 0);
      if (g.members.length === 0) {
        lines.push(`  ${g.group}: no members now; it resumes from its committed offsets`);
        continue;
      }
      const share = active.map((m) => `${m.label} → ${m.partitions.join(',')}`).join('; ');
      const idle = g.members.length - active.length;
      const idleNote = idle > 0 ? `; ${plural(idle, 'member')} idle (more members than partitions)` : '';
      lines.push(
        g.members.length === 1
          ? `  ${g.group}: queue of 1 member, which reads every partition: ${share || 'none assigned yet'}`
          : `  ${g.group}: queue of ${g.members.length} members sharing the partitions, each record to one member: ${share || 'none assigned yet (rebalancing)'}${idleNote}`,
      );
    }
  }
  return lines;
}
