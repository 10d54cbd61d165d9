import { describe, expect, it } from 'vitest';
import { compareSamples, etaMs, type LagSample, trendOf, type Trend } from '../../../src/lib/groups/watch.js';
import { formatEta, formatRate, watchLines } from '../../../src/lib/groups/watch-view.js';
import { lagOf, totalLag } from '../../../src/lib/groups/lag.js';

const part = (partition: number, committed: number | null, logEnd: number) => ({
  topic: 't',
  partition,
  committed,
  logStart: 0,
  logEnd,
  lag: lagOf(committed, logEnd),
});
const sample = (at: number, parts: ReturnType<typeof part>[]): LagSample => ({
  at,
  state: 'Stable',
  members: 1,
  partitions: parts,
});

describe('lag', () => {
  it.each<[number | null, number, number | null]>([
    [10, 15, 5],
    [15, 15, 0],
    [null, 15, null],
    [20, 15, -5],
  ])('committed %s, end %s → %s', (c, end, want) => {
    expect(lagOf(c, end)).toBe(want);
  });
  it('totals only partitions with a committed offset', () => {
    expect(totalLag([{ lag: 3 }, { lag: null }, { lag: 4 }])).toBe(7);
  });
});

describe('trendOf and etaMs', () => {
  it.each<[number | null, number | null | undefined, Trend]>([
    [0, undefined, 'caught-up'],
    [0, 50, 'caught-up'],
    [10, undefined, 'unknown'],
    [10, 20, 'catching-up'],
    [30, 20, 'falling-behind'],
    [20, 20, 'steady'],
    [null, 20, 'unknown'],
  ])('lag %s after %s → %s', (lag, prev, want) => {
    expect(trendOf(lag, prev)).toBe(want);
  });

  it.each<[number | null, number | null, number | null, number | null]>([
    [100, 30, 10, 5000],
    [0, 0, 0, 0],
    [100, 10, 10, null],
    [100, 5, 10, null],
    [100, null, 10, null],
    [0, null, null, 0],
    [null, 30, 10, null],
  ])('lag %s, consume %s/s, arrival %s/s → %s ms', (lag, c, a, want) => {
    expect(etaMs(lag, c, a)).toBe(want);
  });
});

describe('compareSamples', () => {
  it('has no rates on the first sample', () => {
    const v = compareSamples(undefined, sample(1000, [part(0, 10, 20)]));
    expect(v.partitions[0]).toMatchObject({
      consumeRate: null,
      arrivalRate: null,
      trend: 'unknown',
      etaMs: null,
    });
    expect(v.total).toEqual({ lag: 10, consumeRate: null, arrivalRate: null, trend: 'unknown', etaMs: null });
  });

  it('derives rates from the deltas of committed offsets and log ends', () => {
    const prev = sample(0, [part(0, 100, 200), part(1, 50, 50), part(2, null, 10)]);
    const cur = sample(2000, [part(0, 160, 220), part(1, 50, 80), part(2, null, 12)]);
    const v = compareSamples(prev, cur);
    expect(v.partitions.map((p) => [p.consumeRate, p.arrivalRate, p.lag, p.trend, p.etaMs])).toEqual([
      [30, 10, 60, 'catching-up', 3000],
      [0, 15, 30, 'falling-behind', null],
      [null, 1, null, 'unknown', null],
    ]);
    expect(v.total).toEqual({
      lag: 90,
      consumeRate: 30,
      arrivalRate: 26,
      trend: 'catching-up',
      etaMs: 22500,
    });
  });

  it('prints plain key=value lines', () => {
    const v = compareSamples(sample(0, [part(0, 100, 200)]), sample(1000, [part(0, 150, 210)]));
    expect(watchLines('g', v)).toEqual([
      '1970-01-01T00:00:01.000Z g t/0 committed=150 end=210 lag=60 consume=50/s arrival=10/s trend=catching-up eta=2s',
      '1970-01-01T00:00:01.000Z g total state=Stable members=1 lag=60 consume=50/s arrival=10/s trend=catching-up eta=2s',
    ]);
  });
});

describe('formatting', () => {
  it.each<[number | null, string]>([
    [null, '-'],
    [0, '0/s'],
    [2.25, '2.3/s'],
    [150.4, '150/s'],
  ])('rate %s → %s', (r, want) => expect(formatRate(r)).toBe(want));
  it.each<[number | null, string]>([
    [null, '—'],
    [0, '0s'],
    [1200, '2s'],
    [61_000, '1m1s'],
  ])('eta %s → %s', (ms, want) => expect(formatEta(ms)).toBe(want));
});
