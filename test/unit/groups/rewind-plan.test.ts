import { describe, expect, it } from 'vitest';
import {
  PlanError,
  type PlanEntry,
  type PlanInput,
  parsePlanCsv,
  parseTopicScopes,
  planFilePositions,
  planRows,
  planToCsv,
  planTotals,
  scopePartitions,
  type TopicScope,
} from '../../../src/lib/groups/rewind-plan.js';

function planError(f: () => unknown): PlanError {
  try {
    f();
  } catch (err) {
    if (err instanceof PlanError) return err;
    throw new Error(`got ${String(err)}, want a PlanError`);
  }
  throw new Error('got no error, want a PlanError');
}

describe('parseTopicScopes', () => {
  it.each<[string[], TopicScope[]]>([
    [['orders'], [{ topic: 'orders' }]],
    [['orders:0,2'], [{ topic: 'orders', partitions: [0, 2] }]],
    [['orders:2, 0'], [{ topic: 'orders', partitions: [0, 2] }]],
    [['orders:1', 'orders:0'], [{ topic: 'orders', partitions: [0, 1] }]],
    [['orders:1', 'orders'], [{ topic: 'orders' }]],
    [['orders', 'orders:1'], [{ topic: 'orders' }]],
    [
      ['a.b_c-1', 'x:3'],
      [{ topic: 'a.b_c-1' }, { topic: 'x', partitions: [3] }],
    ],
  ])('%j → %j', (values, want) => {
    expect(parseTopicScopes(values)).toEqual(want);
  });

  it.each<[string, RegExp]>([
    ['', /is not a topic name/],
    [':0', /is not a topic name/],
    ['or ders', /is not a topic name/],
    ['orders:', /not a list of partition numbers/],
    ['orders:a', /not a list of partition numbers/],
    ['orders:0,,1', /not a list of partition numbers/],
    ['orders:-1', /not a list of partition numbers/],
    ['orders:1:2', /not a list of partition numbers/],
  ])('refuses %j', (value, want) => {
    const e = planError(() => parseTopicScopes([value]));
    expect(e.message, `got ${e.message}`).toMatch(want);
    expect(e.hint, 'want a hint').toContain('--topic orders');
  });
});

describe('scopePartitions', () => {
  it('takes all partitions for a bare topic and the named ones otherwise', () => {
    expect(scopePartitions({ topic: 't' }, [0, 1, 2])).toEqual([0, 1, 2]);
    expect(scopePartitions({ topic: 't', partitions: [2] }, [0, 1, 2])).toEqual([2]);
  });
  it('refuses a partition the topic does not have, listing the ones it has', () => {
    const e = planError(() => scopePartitions({ topic: 't', partitions: [1, 5] }, [0, 1, 2]));
    expect(e.message).toBe('--topic t: partition 5 does not exist');
    expect(e.hint).toBe('t has partitions 0,1,2');
  });
});

const input = (p: Partial<PlanInput>): PlanInput => ({
  topic: 't',
  partition: 0,
  committed: 100,
  logStart: 0,
  logEnd: 200,
  target: 100,
  ...p,
});

describe('planRows and planTotals', () => {
  it.each<[string, Partial<PlanInput>, { reprocess: number | null; skip: number | null; lagAfter: number }]>([
    ['back 40 reprocesses 40', { target: 60 }, { reprocess: 40, skip: 0, lagAfter: 140 }],
    ['forward 50 skips 50', { target: 150 }, { reprocess: 0, skip: 50, lagAfter: 50 }],
    ['same offset changes nothing', { target: 100 }, { reprocess: 0, skip: 0, lagAfter: 100 }],
    ['to the end skips the lag', { target: 200 }, { reprocess: 0, skip: 100, lagAfter: 0 }],
    [
      'never committed: neither',
      { committed: null, target: 0 },
      { reprocess: null, skip: null, lagAfter: 200 },
    ],
  ])('%s', (_name, p, want) => {
    const [row] = planRows([input(p)]);
    expect({ reprocess: row?.reprocess, skip: row?.skip, lagAfter: row?.lagAfter }).toEqual(want);
  });

  it('totals sum over partitions and count the uncommitted ones', () => {
    const rows = planRows([
      input({ partition: 0, target: 60 }),
      input({ partition: 1, target: 150 }),
      input({ partition: 2, committed: null, target: 0 }),
    ]);
    expect(planTotals(rows)).toEqual({
      partitions: 3,
      reprocess: 40,
      skip: 50,
      lagAfter: 140 + 50 + 200,
      uncommitted: 1,
    });
  });
});

describe('plan files', () => {
  it('writes topic,partition,offset lines with no header (kafka-consumer-groups format)', () => {
    expect(
      planToCsv([
        { topic: 'a', partition: 0, target: 5 },
        { topic: 'b', partition: 2, target: 0 },
      ]),
    ).toBe('a,0,5\nb,2,0\n');
  });

  it('reads back what it writes', () => {
    const rows = [
      { topic: 'orders', partition: 0, target: 12 },
      { topic: 'orders', partition: 1, target: 0 },
      { topic: 'pay.v1', partition: 3, target: 9007199254740991 },
    ];
    const got = parsePlanCsv(planToCsv(rows)).map(({ topic, partition, offset }) => ({
      topic,
      partition,
      target: offset,
    }));
    expect(got).toEqual(rows);
  });

  it.each<[string, string, PlanEntry[]]>([
    ['a header line', 'topic,partition,offset\na,0,1\n', [{ topic: 'a', partition: 0, offset: 1, line: 2 }]],
    [
      'a header in capitals with spaces',
      'Topic, Partition, Offset\na,0,1',
      [{ topic: 'a', partition: 0, offset: 1, line: 2 }],
    ],
    [
      'CRLF, blank lines and comments',
      '# plan\r\n\r\na , 1 , 7\r\n',
      [{ topic: 'a', partition: 1, offset: 7, line: 3 }],
    ],
    ['a byte order mark', '\uFEFFa,0,1\n', [{ topic: 'a', partition: 0, offset: 1, line: 1 }]],
  ])('accepts %s', (_name, text, want) => {
    expect(parsePlanCsv(text)).toEqual(want);
  });

  it.each<[string, string, string]>([
    ['two fields', 'a,0,1\na,1\n', 'plan.csv line 2: "a,1" has 2 fields, want 3'],
    ['four fields', 'a,0,1,2', 'plan.csv line 1: "a,0,1,2" has 4 fields, want 3'],
    [
      'a partition that is not an integer',
      'a,x,1',
      'plan.csv line 1: partition "x" is not a non-negative integer',
    ],
    ['a negative offset', 'a,0,-1', 'plan.csv line 1: offset "-1" is not a non-negative integer'],
    ['a fractional offset', 'a,0,1.5', 'plan.csv line 1: offset "1.5" is not a non-negative integer'],
    [
      'an offset too large',
      'a,0,99999999999999999999',
      'plan.csv line 1: offset "99999999999999999999" is not a non-negative integer',
    ],
    ['a bad topic name', 'a b,0,1', 'plan.csv line 1: "a b" is not a topic name'],
    [
      'a header after data',
      'a,0,1\ntopic,partition,offset',
      'plan.csv line 2: partition "partition" is not a non-negative integer',
    ],
    [
      'the same partition twice',
      'a,0,1\n\na,0,2',
      'plan.csv line 3: a partition 0 already appears on line 1',
    ],
    ['no entries', 'topic,partition,offset\n', 'plan.csv has no entries'],
    ['an empty file', '', 'plan.csv has no entries'],
  ])('refuses %s, naming the line', (_name, text, want) => {
    const e = planError(() => parsePlanCsv(text, 'plan.csv'));
    expect(e.message, `got ${e.message}, want ${want}`).toBe(want);
    expect(e.hint).toMatch(/topic,partition,offset/);
  });

  it('turns entries into one offset map per topic', () => {
    const entries = parsePlanCsv('a,0,5\nb,1,7\na,2,9\n');
    const got = planFilePositions(entries, () => [0, 1, 2]);
    expect(Object.fromEntries(got)).toEqual({
      a: {
        kind: 'map',
        entries: [
          { partition: 0, position: { kind: 'offset', offset: 5 } },
          { partition: 2, position: { kind: 'offset', offset: 9 } },
        ],
      },
      b: { kind: 'map', entries: [{ partition: 1, position: { kind: 'offset', offset: 7 } }] },
    });
  });

  it.each<[string, string, string]>([
    ['an unknown topic', 'a,0,1\nnope,0,1', 'p.csv line 2: topic nope does not exist'],
    ['an unknown partition', 'a,3,1', 'p.csv line 1: a has no partition 3'],
  ])('refuses %s, naming the line', (_name, text, want) => {
    const entries = parsePlanCsv(text, 'p.csv');
    const e = planError(() => planFilePositions(entries, (t) => (t === 'a' ? [0, 1] : undefined), 'p.csv'));
    expect(e.message).toBe(want);
  });
});
