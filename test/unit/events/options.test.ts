import { describe, expect, it } from 'vitest';
import {
  DOMAINS,
  EVENTS_PER_JOURNEY,
  EventOptionsError,
  chooseSeed,
  generateRecords,
  journeyGapMs,
  resolveOptions,
  topicsFor,
  summarize,
  partitionForKey,
  type GenerateOptions,
} from '../../../src/lib/events/index.js';
import { Journey, World, type EntitySink } from '../../../src/lib/events/plan/journey.js';
import { START, gen, groupByKey } from './support.js';

const base: GenerateOptions = { domains: ['checkout'], seed: 's', startTime: START };

function optionError(o: Partial<GenerateOptions>): EventOptionsError {
  try {
    resolveOptions({ ...base, ...o } as GenerateOptions);
  } catch (e) {
    if (e instanceof EventOptionsError) return e;
    throw e;
  }
  throw new Error(`got no error for ${JSON.stringify(o)}, want an EventOptionsError`);
}

describe('option validation', () => {
  it.each([
    [
      'unknown domain',
      { domains: ['pizza'] },
      'domains',
      'identity, checkout, delivery, email, video, or all',
    ],
    ['no domain', { domains: [] }, 'domains', 'accepted:'],
    ['negative count', { count: -5 }, 'count', 'e.g. 1000'],
    ['fractional count', { count: 1.5 }, 'count', 'e.g. 1000'],
    ['zero entities', { entities: 0 }, 'entities', 'e.g. 1000'],
    ['zero rate', { ratePerSec: 0 }, 'rate', 'e.g. 10'],
    ['NaN rate', { ratePerSec: Number.NaN }, 'rate', 'e.g. 10'],
    ['huge rate', { ratePerSec: 1e9 }, 'rate', 'e.g. 10'],
    ['empty seed', { seed: '' }, 'seed', 'whole number'],
    ['fractional seed', { seed: 1.5 }, 'seed', 'whole number'],
    ['control characters in seed', { seed: 'a\u0000b' }, 'seed', 'printable'],
    ['unknown shape', { shape: 'blob' }, 'shape', 'notification, state, sourcing'],
    ['unknown extension', { with: ['gdpr'] }, 'with', 'terms-agreed'],
    [
      'terms without checkout',
      { domains: ['video'], with: ['terms-agreed'] },
      'with',
      'add the checkout domain',
    ],
    ['probability above 1', { faults: { late: 2 } }, 'late', 'between 0 and 1'],
    ['negative probability', { faults: { duplicates: -0.1 } }, 'duplicates', 'e.g. 0.01'],
    ['negative start', { startTime: -1 }, 'startTime', 'epoch'],
    ['bad topic', { topic: 'a b' }, 'topic', 'a-z A-Z 0-9'],
    ['zero duration', { durationMs: 0 }, 'duration', 'e.g. 10m'],
  ])('%s → error on %s with a hint', (_name, o, option, hint) => {
    const e = optionError(o as Partial<GenerateOptions>);
    expect(e.option).toBe(option);
    expect(e.hint).toContain(hint);
  });

  it('throws before yielding anything', () => {
    const it = generateRecords({ ...base, count: -1 });
    expect(() => it.next()).toThrow(EventOptionsError);
  });

  it('fills defaults and normalises', () => {
    const o = resolveOptions({ ...base, domains: ['video', 'identity', 'video'], seed: 7 });
    expect(o.domains).toEqual(['identity', 'video']);
    expect(o.seed).toBe('7');
    expect(o.shape).toBe('sourcing');
    expect(o.ratePerSec).toBe(10);
    expect(resolveOptions({ ...base, domains: ['all'] }).domains).toEqual([...DOMAINS]);
  });

  it('chooseSeed gives a printable seed that resolves', () => {
    expect(resolveOptions({ ...base, seed: chooseSeed() }).seed).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('stop conditions', () => {
  it('count: exactly that many records', () => {
    expect(gen({ domains: ['email'], count: 1234 }).length).toBe(1234);
  });

  it('entities: exactly that many entities, each run to the end of its lifecycle', () => {
    const rs = gen({ domains: ['delivery'], entities: 40 });
    const byKey = groupByKey(rs);
    expect(byKey.size).toBe(40);
    for (const [key, list] of byKey) expect(list.at(-1)!.type, key).toBe('delivery.delivered');
  });

  it('duration: nothing at or after startTime + duration, and the timeline is filled up to it', () => {
    const durationMs = 30 * 60_000;
    const rs = gen({ durationMs, ratePerSec: 20 });
    expect(Math.max(...rs.map((r) => r.timestamp))).toBeLessThan(START + durationMs);
    expect(Math.max(...rs.map((r) => r.timestamp))).toBeGreaterThan(START + durationMs - 60_000);
  });

  it('no limit: the stream goes on', () => {
    const it = generateRecords({ ...base, domains: ['all'] });
    let n = 0;
    while (n < 20_000 && !it.next().done) n++;
    expect(n).toBe(20_000);
    it.return();
  });
});

describe('the simulated clock', () => {
  it('starts at startTime and runs at about ratePerSec over all domains', () => {
    const rate = 10;
    const rs = gen({ durationMs: 3 * 3600_000, ratePerSec: rate });
    expect(rs[0]!.timestamp).toBeGreaterThanOrEqual(START);
    // Steady state: the last two hours (the first hour fills the pipeline of journeys).
    let steady = 0;
    for (const r of rs) if (r.timestamp >= START + 3600_000) steady++;
    const got = steady / (2 * 3600);
    expect(Math.abs(got / rate - 1), `got ${got.toFixed(2)} events/s, want about ${rate}`).toBeLessThan(0.1);
    expect(journeyGapMs(rate)).toBeCloseTo(
      (Object.values(EVENTS_PER_JOURNEY).reduce((a, b) => a + b) * 1000) / rate,
    );
  });

  it('EVENTS_PER_JOURNEY matches what the planners produce', () => {
    const world = new World({ seed: 'per-journey', domains: new Set(DOMAINS), termsAgreed: false });
    const counts = new Map<string, number>();
    const sink: EntitySink = (spec) => {
      for (const step of spec.steps) {
        counts.set(spec.domain.name, (counts.get(spec.domain.name) ?? 0) + 1);
        spec.journey.onStep(spec, step);
      }
      spec.journey.onDone(spec);
    };
    const journeys = 20_000;
    for (let k = 0; k < journeys; k++) new Journey(world, k, 0, sink).start();
    for (const d of DOMAINS) {
      const got = (counts.get(d) ?? 0) / journeys;
      const want = EVENTS_PER_JOURNEY[d];
      expect(
        Math.abs(got - want) / want,
        `${d}: got ${got.toFixed(2)} per journey, want ${want}`,
      ).toBeLessThan(0.03);
    }
  });
});

describe('what publish needs', () => {
  it('topicsFor: one topic per domain and shape with default partitions, or the forced topic', () => {
    expect(topicsFor(['identity', 'email'], 'state')).toEqual([
      { topic: 'eb.identity.state', partitions: 3, domains: ['identity'], shape: 'state' },
      { topic: 'eb.email.state', partitions: 3, domains: ['email'], shape: 'state' },
    ]);
    expect(topicsFor(['identity', 'email'], 'state', 'mine')).toEqual([
      { topic: 'mine', partitions: 3, domains: ['identity', 'email'], shape: 'state' },
    ]);
    expect(new Set(gen({ count: 500, topic: 'mine' }).map((r) => r.topic))).toEqual(new Set(['mine']));
  });

  it('summarize: counts per type, topic and partition add up', () => {
    const rs = gen({ count: 5000, faults: { duplicates: 0.05 } });
    const s = summarize(rs, (r) => partitionForKey(r.key, 3));
    expect(s.records).toBe(5000);
    expect(s.byType.reduce((a, t) => a + t.count, 0)).toBe(5000);
    expect(s.byType[0]!.type).toBe('identity.user-registered');
    for (const t of s.byTopic) expect(t.partitions.reduce((a, p) => a + p.count, 0)).toBe(t.count);
    expect(s.faults.duplicate).toBe(rs.filter((r) => r.fault === 'duplicate').length);
    expect(s.bytes).toBeGreaterThan(5000 * 300);
  });
});
