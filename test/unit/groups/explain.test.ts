import { describe, expect, it } from 'vitest';
import {
  explainLines,
  memberLabels,
  topicReaders,
  type ExplainInputGroup,
} from '../../../src/lib/groups/explain.js';

const groups: ExplainInputGroup[] = [
  {
    group: 'billing',
    topics: ['orders'],
    memberAssignments: [
      {
        memberId: 'app-aaaaaa111111',
        clientId: 'app',
        assignment: [{ topic: 'orders', partitions: [2, 0] }],
      },
      { memberId: 'app-bbbbbb222222', clientId: 'app', assignment: [{ topic: 'orders', partitions: [1] }] },
    ],
  },
  {
    group: 'shipping',
    topics: ['orders', 'returns'],
    memberAssignments: [
      {
        memberId: 'ship-1',
        clientId: 'ship',
        assignment: [
          { topic: 'orders', partitions: [0, 1, 2] },
          { topic: 'returns', partitions: [0] },
        ],
      },
    ],
  },
  { group: 'audit', topics: ['returns'], memberAssignments: [] },
];
const counts: Record<string, number> = { orders: 3, returns: 1 };

describe('memberLabels', () => {
  it('uses the client id, adding the member id tail when client ids repeat', () => {
    const got = memberLabels([
      { memberId: 'x-123456', clientId: 'a' },
      { memberId: 'y-abcdef', clientId: 'a' },
      { memberId: 'z-1', clientId: 'b' },
    ]);
    expect([...got.values()]).toEqual(['a…123456', 'a…abcdef', 'b']);
  });
});

describe('topicReaders', () => {
  it('lists, per topic, each group and which member holds which partitions', () => {
    const got = topicReaders(groups, (t) => counts[t] ?? 0);
    expect(got.map((t) => [t.topic, t.partitions, t.groups.map((g) => g.group)])).toEqual([
      ['orders', 3, ['billing', 'shipping']],
      ['returns', 1, ['shipping', 'audit']],
    ]);
    expect(got[0]?.groups[0]?.members).toEqual([
      { label: 'app…111111', memberId: 'app-aaaaaa111111', partitions: [0, 2] },
      { label: 'app…222222', memberId: 'app-bbbbbb222222', partitions: [1] },
    ]);
  });
});

describe('explainLines', () => {
  it('shows a queue inside each group and pub/sub across groups', () => {
    const lines = explainLines(topicReaders(groups, (t) => counts[t] ?? 0));
    expect(lines).toEqual([
      'orders (3 partitions) is read by 2 groups: billing, shipping',
      '  pub/sub: each of these groups gets every record of orders, each from its own committed offsets',
      '  billing: queue of 2 members sharing the partitions, each record to one member: app…111111 → 0,2; app…222222 → 1',
      '  shipping: queue of 1 member, which reads every partition: ship → 0,1,2',
      'returns (1 partition) is read by 2 groups: shipping, audit',
      '  pub/sub: each of these groups gets every record of returns, each from its own committed offsets',
      '  shipping: queue of 1 member, which reads every partition: ship → 0',
      '  audit: no members now; it resumes from its committed offsets',
    ]);
  });

  it('with a focus group, keeps its topics only and puts it first', () => {
    const lines = explainLines(
      topicReaders(groups, (t) => counts[t] ?? 0),
      'audit',
    );
    expect(lines[0]).toBe('returns (1 partition) is read by 2 groups: audit, shipping');
    expect(lines.some((l) => l.startsWith('orders'))).toBe(false);
  });

  it('notes idle members when a group has more members than partitions', () => {
    const lines = explainLines(
      topicReaders(
        [
          {
            group: 'g',
            topics: ['t'],
            memberAssignments: [
              { memberId: 'm1', clientId: 'a', assignment: [{ topic: 't', partitions: [0] }] },
              { memberId: 'm2', clientId: 'b', assignment: [] },
            ],
          },
        ],
        () => 1,
      ),
    );
    expect(lines[1]).toContain('this group gets every record of t');
    expect(lines[2]).toBe(
      '  g: queue of 2 members sharing the partitions, each record to one member: a → 0; 1 member idle (more members than partitions)',
    );
  });
});
