import { describe, expect, it } from 'vitest';
import {
  PositionError,
  parsePosition,
  resolvePosition,
  timestampsNeeded,
  type PartitionBounds,
  type ResolveOptions,
  type TimestampLookups,
} from '../../../src/lib/positions/index.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const T10 = Date.UTC(2026, 10, 20, 10, 0, 0);

// p0: records 10..49 (start 10 after retention), p1: 0..99, p2: empty.
const BOUNDS: PartitionBounds[] = [
  { partition: 0, start: 10, end: 50, committed: 30 },
  { partition: 1, start: 0, end: 100, committed: null },
  { partition: 2, start: 0, end: 0 },
];

type Want = { offsets: number[]; warn?: (string | undefined)[] };
type Case = [
  string,
  Want,
  { lookups?: [number, number | null][]; opts?: ResolveOptions; bounds?: PartitionBounds[] }?,
];

function run(text: string, extra: Case[2] = {}): ReturnType<typeof resolvePosition> {
  const pos = parsePosition(text, { now: NOW, allowEnd: true });
  const lookups: TimestampLookups = new Map(extra.lookups ?? []);
  return resolvePosition(pos, extra.bounds ?? BOUNDS, lookups, extra.opts);
}

function check(text: string, want: Want, extra?: Case[2]): void {
  const got = run(text, extra);
  const offsets = got.map((r) => r.offset);
  expect(offsets, `got offsets ${JSON.stringify(offsets)}, want ${JSON.stringify(want.offsets)}`).toEqual(
    want.offsets,
  );
  const warnings = got.map((r) => r.warning);
  (want.warn ?? want.offsets.map(() => undefined)).forEach((w, i) => {
    if (w === undefined)
      expect(warnings[i], `partition #${i}: got warning ${warnings[i]}, want none`).toBeUndefined();
    else expect(warnings[i], `partition #${i}: got warning ${warnings[i]}, want ${w}`).toContain(w);
  });
}

describe('resolvePosition relative to the log bounds (tail, replay)', () => {
  it.each<Case>([
    ['earliest', { offsets: [10, 0, 0] }],
    ['latest', { offsets: [50, 100, 0] }],
    ['end', { offsets: [50, 100, 0] }], // --until: latest and end are alike
    ['20', { offsets: [20, 20, 0], warn: [undefined, undefined, 'past the log end 0'] }],
    ['50', { offsets: [50, 50, 0], warn: [undefined, undefined, 'past the log end 0'] }],
    [
      '5',
      { offsets: [10, 5, 0], warn: ['offset 5 is before the log start 10; using 10', undefined, 'past'] },
    ],
    [
      '500',
      {
        offsets: [50, 100, 0],
        warn: ['offset 500 is past the log end 50; using 50', 'past the log end 100', 'past'],
      },
    ],
    ['+5', { offsets: [15, 5, 0], warn: [undefined, undefined, '+5 (offset 5) is past the log end 0'] }],
    ['+0', { offsets: [10, 0, 0] }],
    ['+60', { offsets: [50, 60, 0], warn: ['+60 (offset 70) is past the log end 50', undefined, 'past'] }],
    ['-5', { offsets: [45, 95, 0] }],
    ['-0', { offsets: [50, 100, 0] }],
    // -N bigger than the partition clamps to the start, silently: "the last N" means all of them.
    ['-60', { offsets: [10, 40, 0] }],
    ['-1000', { offsets: [10, 0, 0] }],
  ])('%j', (text, want, extra) => check(text, want, extra));
});

describe('resolvePosition with timestamps', () => {
  it.each<Case>([
    [
      '@2026-11-20T10:00Z',
      { offsets: [20, 70, 0] },
      {
        lookups: [
          [0, 20],
          [1, 70],
          [2, null],
        ],
      },
    ],
    // A future time (no record at or after it) clamps to the end, never -1.
    [
      '@2099-01-01',
      { offsets: [50, 100, 0] },
      {
        lookups: [
          [0, null],
          [1, null],
          [2, null],
        ],
      },
    ],
    // Kafka's own "none" (-1) is read the same way.
    [
      '@2099-01-01',
      { offsets: [50, 100, 0] },
      {
        lookups: [
          [0, -1],
          [1, -1],
          [2, -1],
        ],
      },
    ],
    [
      '@-2h',
      { offsets: [10, 100, 0], warn: ['offset 3 found for that time is before the log start 10'] },
      {
        lookups: [
          [0, 3],
          [1, 100],
          [2, null],
        ],
      },
    ],
  ])('%j %#', (text, want, extra) => check(text, want, extra));

  it('asks for a lookup per partition with a time, each map entry at its own time', () => {
    const pos = parsePosition('0=@2026-11-20T10:00Z,1=100,2=@-1h', { now: NOW });
    expect(timestampsNeeded(pos, [0, 1, 2])).toEqual([
      { partition: 0, timestamp: T10 },
      { partition: 2, timestamp: NOW - 3_600_000 },
    ]);
  });

  it('asks for every partition for a plain @time', () => {
    const got = timestampsNeeded(parsePosition('@1795168800'), [0, 1, 2]);
    expect(got).toEqual([0, 1, 2].map((partition) => ({ partition, timestamp: T10 })));
  });

  it('asks for nothing without times', () => {
    expect(timestampsNeeded(parsePosition('0=earliest,1=-5'), [0, 1])).toEqual([]);
  });

  it('asks for unlisted partitions when their default is a time', () => {
    const got = timestampsNeeded(parsePosition('0=5'), [0, 1], { unlisted: { kind: 'time', ms: T10 } });
    expect(got).toEqual([{ partition: 1, timestamp: T10 }]);
  });

  it('throws when the caller did not perform a needed lookup', () => {
    expect(() => run('@-1h', { lookups: [[0, 5]] })).toThrow(/partition 1: no timestamp lookup/);
  });
});

describe('resolvePosition with per-partition maps', () => {
  it.each<Case>([
    ['0=20,1=@2026-11-20T10:00Z,2=earliest', { offsets: [20, 70, 0] }, { lookups: [[1, 70]] }],
    ['2=latest,0=-5', { offsets: [45, 0] }], // result follows the partition order, unlisted excluded
    ['1=5', { offsets: [10, 5, 0] }, { opts: { unlisted: { kind: 'earliest' } } }],
    ['1=5', { offsets: [50, 5, 0] }, { opts: { unlisted: { kind: 'latest' } } }],
    ['0=1,1=end', { offsets: [10, 100], warn: ['before the log start 10'] }],
  ])('%j %#', (text, want, extra) => check(text, want, extra));

  it('carries the applied position per partition for previews', () => {
    const got = run('1=5', { opts: { unlisted: { kind: 'earliest' } } });
    expect(got.map((r) => r.source.kind)).toEqual(['earliest', 'offset', 'earliest']);
  });

  it.each<[string, number[], string]>([
    ['7=100', [0, 1, 2], 'partition 7 in the map does not exist (partitions: 0, 1, 2)'],
    ['0=1,3=2', [2, 0, 1], 'partition 3 in the map does not exist (partitions: 0, 1, 2)'],
    ['0=1', [], 'partitions: none'],
  ])('%j over %j is an error naming the partition', (text, partitions, want) => {
    const pos = parsePosition(text);
    for (const f of [
      () => timestampsNeeded(pos, partitions),
      () =>
        resolvePosition(
          pos,
          partitions.map((partition) => ({ partition, start: 0, end: 1 })),
          new Map(),
        ),
    ]) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err, `got ${String(err)}, want a PositionError`).toBeInstanceOf(PositionError);
      expect((err as PositionError).message).toContain(want);
    }
  });
});

describe('resolvePosition relative to the committed offset (group rewind)', () => {
  const committed: ResolveOptions = { relativeTo: 'committed' };
  it.each<Case>([
    // p0 committed 30; p1 never committed (null); p2 absent → both fall back to the log start.
    [
      '+5',
      {
        offsets: [35, 5, 0],
        warn: [
          undefined,
          'partition 1 has no committed offset; shifting from the log start 0',
          'partition 2 has no committed offset; shifting from the log start 0; partition 2: +5 from the log start (offset 5) is past the log end 0',
        ],
      },
      { opts: committed },
    ],
    [
      '-5',
      {
        offsets: [25, 0, 0],
        warn: [
          undefined,
          'partition 1 has no committed offset; shifting from the log start 0; partition 1: -5 from the log start (offset -5) is before the log start 0; using 0',
          'no committed offset',
        ],
      },
      { opts: committed },
    ],
    [
      '+0',
      { offsets: [30, 0, 0], warn: [undefined, 'no committed offset', 'no committed offset'] },
      { opts: committed },
    ],
    [
      '-25',
      { offsets: [10], warn: ['committed 30 - 25 (offset 5) is before the log start 10; using 10'] },
      { opts: committed, bounds: [BOUNDS[0] as PartitionBounds] },
    ],
    [
      '+25',
      { offsets: [50], warn: ['committed 30 + 25 (offset 55) is past the log end 50; using 50'] },
      { opts: committed, bounds: [BOUNDS[0] as PartitionBounds] },
    ],
    // Kafka reports "no committed offset" as -1; it is treated like null.
    [
      '+3',
      { offsets: [13], warn: ['no committed offset; shifting from the log start 10'] },
      { opts: committed, bounds: [{ partition: 0, start: 10, end: 50, committed: -1 }] },
    ],
    // A committed offset that retention overtook still shifts from it, then clamps.
    [
      '+2',
      { offsets: [20], warn: ['committed 5 + 2 (offset 7) is before the log start 20'] },
      { opts: committed, bounds: [{ partition: 0, start: 20, end: 50, committed: 5 }] },
    ],
    // Absolute forms ignore the committed offset.
    ['earliest', { offsets: [10, 0, 0] }, { opts: committed }],
    ['latest', { offsets: [50, 100, 0] }, { opts: committed }],
    ['40', { offsets: [40, 40, 0], warn: [undefined, undefined, 'past'] }, { opts: committed }],
    ['0=-10,1=+10', { offsets: [20, 10], warn: [undefined, 'no committed offset'] }, { opts: committed }],
  ])('%j %#', (text, want, extra) => check(text, want, extra));
});

describe('resolvePosition input checks', () => {
  it.each<[PartitionBounds]>([[{ partition: 0, start: 10, end: 5 }], [{ partition: 0, start: -1, end: 5 }]])(
    'refuses bad bounds %j',
    (b) => {
      expect(() => resolvePosition(parsePosition('earliest'), [b], new Map())).toThrow(/bad bounds/);
    },
  );
});
