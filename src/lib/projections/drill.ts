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
import { ensureTopics, sendRecords } from './publish-data.js';
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
    while (!stop) {
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
      await sleep(Math.max(0, tick - (Date.now() - t0)));
    }
  })();
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
  const dbPath = join(dir, `${def.name}.db`);
  const say = o.onPhase ?? (() => undefined);
  try {
    await ensureTopics(session, o.prefix, def.domains, def.shape);
    if (def.needsSource) await ensureTopics(session, o.prefix, def.domains, 'state');
    const publisher = startPublisher(session, def, o);
    const follow = (signal: AbortSignal, onCaughtUp?: () => void) =>
      replay(session, def, {
        dbPath,
        prefix: o.prefix,
        follow: true,
        signal,
        onProgress: (p) => p.lag === 0 && onCaughtUp?.(),
      });

    say(`following live for ${o.warmMs} ms while publishing ${o.ratePerSec} events/s`);
    const live = new AbortController();
    const first = follow(live.signal);
    await sleep(o.warmMs);
    live.abort();
    await first;

    say(`outage: the projection stops consuming for ${o.outageMs} ms; publishing continues`);
    const topics = topicsOf(def, o.prefix);
    const reader = await PartitionReader.open(session, topics);
    let peakLag = 0;
    const until = Date.now() + o.outageMs;
    while (Date.now() < until) {
      const lag = await lagOf(reader, topics, dbPath);
      peakLag = Math.max(peakLag, lag);
      o.onLag?.(lag, publisher.published);
      await sleep(Math.min(250, Math.max(0, until - Date.now())));
    }

    say('resuming from the checkpoint');
    const resumed = Date.now();
    let catchUpMs = -1;
    if ((await lagOf(reader, topics, dbPath)) === 0) catchUpMs = 0;
    else {
      const back = new AbortController();
      await follow(back.signal, () => {
        if (catchUpMs < 0) catchUpMs = Date.now() - resumed;
        back.abort();
      });
    }
    await publisher.stop();
    // Drain what was published after catching up, then compare with a replay that never stopped.
    const last = await replay(session, def, { dbPath, prefix: o.prefix });
    const reference = join(dir, 'reference.db');
    say('verifying against an uninterrupted replay of the same events');
    await replay(session, def, { dbPath: reference, prefix: o.prefix });
    const hash = hashOf(dbPath, def);
    const referenceHash = hashOf(reference, def);
    return {
      projection: def.name,
      prefix: o.prefix,
      published: publisher.published,
      outageMs: o.outageMs,
      peakLag,
      catchUpMs: Math.max(0, catchUpMs),
      applied: last.totals.applied ?? 0,
      hash,
      referenceHash,
      equal: hash === referenceHash,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hashOf(path: string, def: ProjectionDef): string {
  const db = openDb(path, { readonly: true });
  try {
    return contentHash(db, def);
  } finally {
    db.close();
  }
}

async function lagOf(reader: PartitionReader, topics: string[], dbPath: string): Promise<number> {
  const bounds = await reader.bounds(topics);
  const db = openDb(dbPath, { readonly: true });
  const cp = new Map(loadCheckpoint(db).map((c) => [key(c.topic, c.partition), c.nextOffset]));
  db.close();
  let lag = 0;
  for (const [k, b] of bounds) lag += Math.max(0, b.end - (cp.get(k) ?? b.start));
  return lag;
}
