import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateResolved, resolveOptions, type GeneratedRecord } from '../events/index.js';
import type { KafkaSession } from '../kafka/client.js';
import { key, PartitionReader } from '../kafka/partition-reader.js';
import { loadCheckpoint } from './checkpoint.js';
import { openDb } from './db.js';
import { contentHash } from './hash.js';
import { interrupted, ScratchTopics, sendRecords } from './publish-data.js';
import { replay, topicsOf } from './runtime.js';
import type { ProjectionDef } from './types.js';

export interface DrillOptions {
  prefix: string;
  outageMs: number;
  /** Following live before the outage. */
  warmMs: number;
  /** Events published per second, all along. */
  ratePerSec: number;
  seed: string;
  onPhase?: (text: string) => void;
  onLag?: (lag: number, published: number) => void;
  /** Leave the topics the drill created on the broker (default: delete them at the end). */
  keepTopics?: boolean;
  /** Stops the drill early; its topics are still deleted (unless kept) and it throws. */
  signal?: AbortSignal;
  /** Told what could not be cleaned up. */
  onWarning?: (text: string) => void;
}

export interface DrillResult {
  projection: string;
  prefix: string;
  published: number;
  outageMs: number;
  /** The highest lag seen during the outage. */
  peakLag: number;
  /** From resuming until the projection had applied everything published up to then. */
  catchUpMs: number;
  applied: number;
  hash: string;
  referenceHash: string;
  /** The final state equals an uninterrupted replay of the same events. */
  equal: boolean;
  /** Topics the drill created and deleted again. */
  topicsDeleted: string[];
  /** Topics the drill created and left on the broker (--keep-topics, or a failed delete). */
  topicsLeft: string[];
}

/**
 * Publishes generated events into the projection's topics at a steady rate, in the background,
 * until stopped. For a notification projection the state shape goes first, so the source a
 * callback reads is never behind the notification.
 */
function startPublisher(session: KafkaSession, def: ProjectionDef, o: DrillOptions) {
  const shapes = def.needsSource ? ['state', def.shape] : [def.shape];
  const gens = shapes.map((shape) =>
    generateResolved(
      resolveOptions({
        domains: [...def.domains],
        seed: o.seed,
        shape,
        startTime: Date.now() - 3600_000,
        ratePerSec: 1000,
        with: ['terms-agreed'],
      }),
    ),
  );
  const rename = (r: GeneratedRecord) => ({ ...r, topic: o.prefix + r.topic.slice(r.topic.indexOf('.')) });
  let stop = false;
  let published = 0;
  const tick = 100;
  const done = (async () => {
    while (!stop && !o.signal?.aborted) {
      const t0 = Date.now();
      const n = Math.max(1, Math.round((o.ratePerSec * tick) / 1000));
      for (const g of gens) {
        const chunk: GeneratedRecord[] = [];
        for (let i = 0; i < n; i++) {
          const x = g.next();
          if (x.done) break;
          chunk.push(rename(x.value));
        }
        await sendRecords(session, chunk);
      }
      published += n;
      await pause(Math.max(0, tick - (Date.now() - t0)), o.signal);
    }
  })();
  // A failed send ends the publisher; stop() reports it. Until then it must not go unhandled.
  done.catch(() => undefined);
  return {
    get published() {
      return published;
    },
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

/**
 * The outage drill: the projection follows live, stops consuming for `outageMs` while events keep
 * arriving (lag grows), resumes from its checkpoint and catches up. Retention means an outage
 * only delays: the final state must equal an uninterrupted replay of the same events.
 */
export async function outageDrill(
  session: KafkaSession,
  def: ProjectionDef,
  o: DrillOptions,
): Promise<DrillResult> {
  const dir = mkdtempSync(join(tmpdir(), 'eb-drill-'));
  const scratch = new ScratchTopics(session);
  let publisher: ReturnType<typeof startPublisher> | undefined;
  try {
    await scratch.ensure(o.prefix, def.domains, def.shape);
    if (def.needsSource) await scratch.ensure(o.prefix, def.domains, 'state');
    publisher = startPublisher(session, def, o);
    const r = await runDrill(session, def, o, dir, publisher);
    const cleaned = await scratch.finish(o.keepTopics ?? false, o.onWarning);
    return { ...r, topicsDeleted: cleaned.deleted, topicsLeft: cleaned.left };
  } catch (err) {
    if (o.signal?.aborted) throw interrupted('drill outage', o.keepTopics ?? false);
    throw err;
  } finally {
    // Nothing may still be publishing into topics we are about to delete.
    await publisher?.stop().catch(() => undefined);
    await scratch.finish(o.keepTopics ?? false, o.onWarning);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runDrill(
  session: KafkaSession,
  def: ProjectionDef,
  o: DrillOptions,
  dir: string,
  publisher: ReturnType<typeof startPublisher>,
): Promise<Omit<DrillResult, 'topicsDeleted' | 'topicsLeft'>> {
  const dbPath = join(dir, `${def.name}.db`);
  const say = o.onPhase ?? (() => undefined);
  const check = () => {
    if (o.signal?.aborted) throw interrupted('drill outage', o.keepTopics ?? false);
  };
  const follow = (signal: AbortSignal) =>
    replay(session, def, {
      dbPath,
      prefix: o.prefix,
      follow: true,
      signal: o.signal ? AbortSignal.any([signal, o.signal]) : signal,
    });

  say(`following live for ${o.warmMs} ms while publishing ${o.ratePerSec} events/s`);
  const live = new AbortController();
  const first = follow(live.signal);
  await pause(o.warmMs, o.signal);
  live.abort();
  await first;
  check();

  say(`outage: the projection stops consuming for ${o.outageMs} ms; publishing continues`);
  const topics = topicsOf(def, o.prefix);
  const reader = await PartitionReader.open(session, topics);
  let peakLag = 0;
  const until = Date.now() + o.outageMs;
  while (Date.now() < until) {
    check();
    const lag = await lagOf(reader, topics, dbPath);
    peakLag = Math.max(peakLag, lag);
    o.onLag?.(lag, publisher.published);
    await pause(Math.min(250, Math.max(0, until - Date.now())), o.signal);
  }
  check();

  say('resuming from the checkpoint');
  const resumed = Date.now();
  // Caught up: the checkpoint has reached the log ends as they were when we resumed. Read from
  // the database, so it counts only what is committed.
  const target = await reader.bounds(topics);
  let catchUpMs = 0;
  if (!reached(dbPath, target)) {
    const back = new AbortController();
    let ended = false;
    let failure: unknown;
    const following = follow(back.signal).then(
      () => (ended = true),
      (err: unknown) => {
        failure = err;
        ended = true;
      },
    );
    while (!ended && !reached(dbPath, target)) await pause(50, o.signal);
    catchUpMs = Date.now() - resumed;
    back.abort();
    await following;
    if (failure !== undefined) throw failure;
  }
  check();
  await publisher.stop();
  // Drain what was published after catching up, then compare with a replay that never stopped.
  const last = await replay(session, def, { dbPath, prefix: o.prefix, signal: o.signal });
  check();
  const reference = join(dir, 'reference.db');
  say('verifying against an uninterrupted replay of the same events');
  await replay(session, def, { dbPath: reference, prefix: o.prefix, signal: o.signal });
  check();
  const hash = hashOf(dbPath, def);
  const referenceHash = hashOf(reference, def);
  return {
    projection: def.name,
    prefix: o.prefix,
    published: publisher.published,
    outageMs: o.outageMs,
    peakLag,
    catchUpMs,
    applied: last.totals.applied ?? 0,
    hash,
    referenceHash,
    equal: hash === referenceHash,
  };
}

/** Sleeps, or less when the signal aborts (the caller checks it). */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

function hashOf(path: string, def: ProjectionDef): string {
  const db = openDb(path, { readonly: true });
  try {
    return contentHash(db, def);
  } finally {
    db.close();
  }
}

function checkpointOf(dbPath: string): Map<string, number> {
  const db = openDb(dbPath, { readonly: true });
  try {
    return new Map(loadCheckpoint(db).map((c) => [key(c.topic, c.partition), c.nextOffset]));
  } finally {
    db.close();
  }
}

/** Has the committed checkpoint reached these log ends on every partition? */
function reached(dbPath: string, ends: Map<string, { start: number; end: number }>): boolean {
  const cp = checkpointOf(dbPath);
  for (const [k, b] of ends) if ((cp.get(k) ?? b.start) < b.end) return false;
  return true;
}

async function lagOf(reader: PartitionReader, topics: string[], dbPath: string): Promise<number> {
  const bounds = await reader.bounds(topics);
  const cp = checkpointOf(dbPath);
  let lag = 0;
  for (const [k, b] of bounds) lag += Math.max(0, b.end - (cp.get(k) ?? b.start));
  return lag;
}
