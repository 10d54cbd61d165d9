import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rebuildAll, type GeneratedRecord } from '../../../src/lib/events/index.js';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import type { FetchedRecord } from '../../../src/lib/kafka/partition-reader.js';
import { createTopic } from '../../../src/lib/kafka/topics.js';
import { openDb } from '../../../src/lib/projections/db.js';
import { contentHash } from '../../../src/lib/projections/hash.js';
import { replay, type StepInfo } from '../../../src/lib/projections/runtime.js';
import { sourcing } from '../../../src/lib/projections/sourcing/index.js';
import { uniqueName } from '../../helpers/kafka.js';
import {
  checkpointSum,
  openSession,
  publishStream,
  referenceSourcingHash,
  tempDir,
  type Stream,
} from './support.js';

/*
 * The runtime paces with setTimeout from node:timers/promises. With `clock.fake` set, every
 * sleep it asks for is recorded and resolves at once, so the gaps can be checked exactly, with
 * no wall time involved; otherwise sleeps are real.
 */
const clock = vi.hoisted(() => ({ fake: false, sleeps: [] as number[] }));
vi.mock('node:timers/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:timers/promises')>();
  return {
    ...real,
    setTimeout: <T>(ms?: number, value?: T, opts?: { signal?: AbortSignal }) => {
      if (!clock.fake) return real.setTimeout(ms, value, opts);
      clock.sleeps.push(ms ?? 0);
      return Promise.resolve(value as T);
    },
  };
});

/** A plain timer the mock above does not touch. */
const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let session: KafkaSession;
/** Checkout events only, in one single-partition topic: offset order is time order. */
let ordered: Stream;
/** The usual stream: two topics, three partitions each. */
let spread: Stream;
const tmp = tempDir();
let n = 0;
const dbPath = () => join(tmp.dir, `p${n++}.db`);

beforeAll(async () => {
  session = await openSession();
  const prefix = uniqueName('pace').replace('-', '');
  for (const d of ['checkout', 'delivery'])
    await createTopic(session, {
      name: `${prefix}.${d}.sourcing`,
      partitions: 1,
      replicationFactor: 1,
      configs: {},
      ifNotExists: false,
    });
  ordered = await publishStream(session, { seed: 'pace-1', count: 24, domains: ['checkout'], prefix });
  spread = await publishStream(session, { seed: 'step-1', count: 300, with: ['terms-agreed'] });
});
afterAll(async () => {
  await session.close();
  tmp.cleanup();
});

/** The gaps pace must re-live between consecutive records, scaled and capped as documented. */
function scaledGaps(records: readonly GeneratedRecord[], factor: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < records.length; i++) {
    const ms = Math.min((records[i]!.timestamp - records[i - 1]!.timestamp) / factor, 60_000);
    if (ms >= 1) out.push(ms);
  }
  return out;
}

function hashOf(path: string): string {
  const db = openDb(path, { readonly: true });
  try {
    return contentHash(db, sourcing);
  } finally {
    db.close();
  }
}

describe('replay pace (fake clock)', () => {
  it('the stream under test is in time order, with gaps', () => {
    const ts = ordered.records.map((r) => r.timestamp);
    expect(ts, 'published timestamps are ascending').toEqual([...ts].sort((a, b) => a - b));
    expect(scaledGaps(ordered.records, 1).length, 'gaps of at least 1 ms').toBeGreaterThan(10);
  });

  it.each([
    ['real', 1],
    ['60x', 60],
    ['capped at a minute (0.00001x)', 0.00001],
  ])('%s: asks to sleep each recorded gap divided by the factor, in order', async (_label, factor) => {
    clock.fake = true;
    clock.sleeps = [];
    try {
      const r = await replay(session, sourcing, { dbPath: dbPath(), prefix: ordered.prefix, pace: factor });
      expect(r.applied).toBe(ordered.records.length);
      const want = scaledGaps(ordered.records, factor);
      expect(clock.sleeps.length, `sleeps: got ${clock.sleeps.length}, want ${want.length}`).toBe(
        want.length,
      );
      for (let i = 0; i < want.length; i++) expect(clock.sleeps[i], `sleep ${i}`).toBeCloseTo(want[i]!, 6);
    } finally {
      clock.fake = false;
    }
  });

  it('no pace: never sleeps', async () => {
    clock.fake = true;
    clock.sleeps = [];
    try {
      await replay(session, sourcing, { dbPath: dbPath(), prefix: ordered.prefix });
      expect(clock.sleeps).toEqual([]);
    } finally {
      clock.fake = false;
    }
  });

  // Records come partition by partition, so the clock jumps back at each partition change; a
  // pace that slept those backward jumps' forward gaps again would sleep every partition's span.
  it('over several partitions, sleeps no longer in total than the span of the stream', async () => {
    clock.fake = true;
    clock.sleeps = [];
    try {
      const factor = 1;
      await replay(session, sourcing, { dbPath: dbPath(), prefix: spread.prefix, pace: factor });
      const ts = spread.records.map((r) => r.timestamp);
      const span = (Math.max(...ts) - Math.min(...ts)) / factor;
      const slept = clock.sleeps.reduce((a, b) => a + b, 0);
      expect(slept, `slept ${slept} ms in total, want at most the span ${span} ms`).toBeLessThanOrEqual(span);
    } finally {
      clock.fake = false;
    }
  });
});

describe('replay pace (real clock, lower bounds only)', () => {
  it('waits at least the scaled gap before applying each event', async () => {
    const ts = ordered.records.map((r) => r.timestamp);
    // About 600 ms of pacing in all, whatever the generator's spacing.
    const factor = (ts.at(-1)! - ts[0]!) / 600;
    const seen: { at: number; ts: number }[] = [];
    const started = performance.now();
    await replay(session, sourcing, {
      dbPath: dbPath(),
      prefix: ordered.prefix,
      pace: factor,
      onStep: async (s) => {
        seen.push({ at: performance.now(), ts: s.record.timestamp });
      },
    });
    const elapsed = performance.now() - started;
    expect(
      seen.map((s) => s.ts),
      'applied in time order',
    ).toEqual(ts);
    // Timers fire no earlier than asked, give or take the 1 ms of the event loop's clock.
    for (let i = 1; i < seen.length; i++) {
      const want = (seen[i]!.ts - seen[i - 1]!.ts) / factor;
      const got = seen[i]!.at - seen[i - 1]!.at;
      if (want >= 1)
        expect(got, `gap ${i}: got ${got} ms, want at least ${want} ms`).toBeGreaterThanOrEqual(want - 2);
    }
    const total = scaledGaps(ordered.records, factor).reduce((a, b) => a + b, 0);
    expect(elapsed, `elapsed ${elapsed} ms, want at least ${total} ms`).toBeGreaterThanOrEqual(
      total - 2 * seen.length,
    );
  });

  it('an abort during a long gap stops at once, with the checkpoint after the last applied event', async () => {
    const path = dbPath();
    const abort = new AbortController();
    const t = setTimeout(() => abort.abort(), 300);
    // 0.00001x: every gap is capped at a minute, far longer than this test may take.
    const r = await replay(session, sourcing, {
      dbPath: path,
      prefix: ordered.prefix,
      pace: 0.00001,
      signal: abort.signal,
    });
    clearTimeout(t);
    expect(r.stoppedBy).toBe('signal');
    expect(r.applied, 'only the first event, before the first gap').toBe(1);
    expect(checkpointSum(path)).toBe(1);
  }, 20_000);
});

describe('replay step (onStep)', () => {
  it('one record per call, rows as of that event, and the next event waits for the promise', async () => {
    const path = dbPath();
    const applied: FetchedRecord[] = [];
    const steps: StepInfo[] = [];
    await replay(session, sourcing, {
      dbPath: path,
      prefix: spread.prefix,
      onStep: async (s) => {
        steps.push(s);
        applied.push(s.record);
        // Committed before the call: the checkpoint has moved by exactly this one record.
        expect(checkpointSum(path), `checkpoint at step ${steps.length}`).toBe(steps.length);
        if (steps.length % 50 === 1) {
          await wait(30);
          expect(checkpointSum(path), 'nothing applied while the step is pending').toBe(steps.length);
        }
        // The changed rows are the entity's state after this event, as the reference fold says.
        const table = s.rows[0]?.table;
        const id = s.rows[0]?.rows[0]?.[table === 'orders' ? 'order_id' : 'delivery_id'];
        expect(typeof id, `step ${steps.length} (${s.type}) shows a row`).toBe('string');
        const want = rebuildAll(applied).get(id as string);
        expect(s.rows[0]!.rows[0]!.status, `status of ${String(id)} after ${s.type}`).toBe(want?.status);
      },
    });
    expect(steps.length).toBe(spread.records.length);
    const seen = new Set(steps.map((s) => `${s.record.topic}/${s.record.partition}/${s.record.offset}`));
    expect(seen.size, 'every record exactly once').toBe(spread.records.length);
    const last = new Map<string, number>();
    for (const s of steps) {
      const k = `${s.record.topic}/${s.record.partition}`;
      expect(s.record.offset, `${k} in offset order`).toBe((last.get(k) ?? -1) + 1);
      last.set(k, s.record.offset);
    }
    expect(steps.map((s) => s.type)).toContain('terms-agreed');
  });

  it.each([
    ['an abort', 'abort'],
    ['a throwing step', 'throw'],
  ])('stopping mid-way by %s leaves a checkpoint that resumes to the full state', async (_l, how) => {
    const path = dbPath();
    const abort = new AbortController();
    let calls = 0;
    const run = replay(session, sourcing, {
      dbPath: path,
      prefix: spread.prefix,
      signal: abort.signal,
      onStep: async () => {
        calls++;
        if (calls < 37) return;
        if (how === 'throw') throw new Error('terminal went away');
        abort.abort();
      },
    });
    if (how === 'throw') await expect(run).rejects.toThrow('terminal went away');
    else {
      const r = await run;
      expect(r.stoppedBy).toBe('signal');
      expect(r.applied).toBe(37);
    }
    expect(calls).toBe(37);
    expect(checkpointSum(path), 'checkpoint after exactly the events shown').toBe(37);
    const rest = await replay(session, sourcing, { dbPath: path, prefix: spread.prefix });
    expect(rest.resumed).toBe(true);
    expect(rest.applied).toBe(spread.records.length - 37);
    expect(hashOf(path), 'resumed state vs reference fold').toBe(referenceSourcingHash(spread.records));
  });
});
