import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { asUsageError } from '../cli/errors.js';
import {
  type GeneratedRecord,
  type GenerationSummary,
  type ResolvedOptions,
  type TopicSpec,
  EventOptionsError,
  generateResolved,
  partitionForKey,
  SummaryCounter,
  topicsFor,
} from '../events/index.js';
import type { KafkaSession } from './client.js';
import { type Acks, type EncodedRound, produceEncoded, produceRecords } from './produce.js';
import type { WorkerInput, WorkerMessage } from './publish-worker.js';
import { createTopic, setTopicConfigs, topicConfigs } from './topics.js';

export interface PublishOptions {
  /** Real sending pace in events/s; undefined = as fast as possible (--rate max). */
  pacePerSec?: number;
  acks: Acks;
  onProgress?: (sent: number) => void;
  /** Called once the topics exist (and before any event is sent). */
  onTopics?: (topics: readonly PublishedTopic[]) => void;
  signal?: AbortSignal;
}

export interface PublishResult {
  summary: GenerationSummary;
  topics: PublishedTopic[];
  elapsedMs: number;
}

export interface PublishedTopic {
  topic: string;
  partitions: number;
  created: boolean;
  /**
   * Present when the stream starts further back than the topic keeps records (see
   * keepBackdated): `raised` when this publish created the topic and set its retention.ms to
   * `ms`; otherwise `ms` is the topic's own retention, too short for the oldest events.
   */
  retention?: { ms: number; raised: boolean };
}

/** Turns an events-library error into a usage error (exit 2) naming the flag. */
export function eventOptionError(err: unknown): never {
  if (err instanceof EventOptionsError)
    throw asUsageError(err, `--${err.option === 'domains' ? 'domain' : err.option}`);
  throw err;
}

/**
 * Creates the convention's topics (or the one given), then generates and sends the stream.
 * Records are keyed by entity id, so one entity's events share a partition, in order.
 */
export async function publishEvents(
  session: KafkaSession,
  opts: ResolvedOptions,
  p: PublishOptions,
): Promise<PublishResult> {
  const started = Date.now();
  const specs: TopicSpec[] = topicsFor(opts.domains, opts.shape, opts.topic);
  const topics: PublishResult['topics'] = [];
  for (const s of specs) {
    const r = await createTopic(session, {
      name: s.topic,
      partitions: s.partitions,
      replicationFactor: 1,
      configs: {},
      ifNotExists: true,
    });
    topics.push({ topic: s.topic, partitions: r.partitions, created: r.created });
  }
  await keepBackdated(session, topics, opts.startTime);
  p.onTopics?.(topics);
  const partitionsOf = new Map(topics.map((t) => [t.topic, t.partitions]));
  const worker = p.pacePerSec === undefined ? workerUrl() : undefined;
  if (worker) {
    const summary = await publishInWorker(session, worker, opts, partitionsOf, p);
    return { summary, topics, elapsedMs: Date.now() - started };
  }
  const counter = new SummaryCounter();
  const count = (r: GeneratedRecord) =>
    counter.add(r, partitionForKey(r.key, partitionsOf.get(r.topic) ?? 1));
  const records = generateResolved(opts);
  await produceRecords(
    session,
    p.pacePerSec === undefined
      ? chunks(records, count, p.signal)
      : paced(records, count, p.pacePerSec, p.signal),
    {
      topic: specs[0]?.topic ?? '',
      useRecordTopic: true,
      acks: p.acks,
      compression: 'none',
      onProgress: p.onProgress,
      // A paced stream sends each record as it comes; at full speed, batch.
      batchSize:
        p.pacePerSec !== undefined ? Math.max(1, Math.min(2000, Math.floor(p.pacePerSec / 10))) : undefined,
    },
  );
  return { summary: counter.result(), topics, elapsedMs: Date.now() - started };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * A back-dated stream (--start-time) lives only as long as its topic keeps records that old:
 * Kafka deletes a log segment once its newest record is older than retention.ms (7 days by
 * default), the active segment included, at its next retention check
 * (log.retention.check.interval.ms, 5 minutes) — so events from last month would be gone minutes
 * after publishing; our broker does the same. A topic this publish created gets a retention.ms
 * that keeps the oldest event for a week more, in whole days. A topic that existed keeps its
 * setting (it is someone's choice), and the result says it is too short. Streams starting within
 * the last hour are left alone: then a short retention is the topic's point, not a surprise.
 */
async function keepBackdated(session: KafkaSession, topics: PublishedTopic[], oldest: number): Promise<void> {
  const age = Date.now() - oldest;
  if (age <= HOUR_MS) return;
  const admin = await session.admin();
  for (const t of topics) {
    const entry = (await topicConfigs(admin, t.topic, ['retention.ms']))[0];
    const retention = Number(entry?.value ?? -1);
    // -1: records are kept whatever their age. A day of slack: the check runs every few minutes.
    if (!(retention >= 0 && retention < age + DAY_MS)) continue;
    if (!t.created) {
      t.retention = { ms: retention, raised: false };
      continue;
    }
    const ms = Math.ceil((age + 7 * DAY_MS) / DAY_MS) * DAY_MS;
    await setTopicConfigs(session, t.topic, { 'retention.ms': String(ms) });
    t.retention = { ms, raised: true };
  }
}

/**
 * The compiled worker next to this module; undefined when there is none (running from the
 * TypeScript sources, as unit and integration tests do), and publish generates on this thread.
 */
function workerUrl(): URL | undefined {
  const url = new URL('./publish-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Rounds the worker may have encoded ahead of the requests answered: memory stays ~4 MB. */
const AHEAD = 3;

/** Generation and encoding in a worker thread (see publish-worker.ts); we send. */
async function publishInWorker(
  session: KafkaSession,
  url: URL,
  opts: ResolvedOptions,
  partitionsOf: Map<string, number>,
  p: PublishOptions,
): Promise<GenerationSummary> {
  const ctl = new Int32Array(new SharedArrayBuffer(8));
  const input: WorkerInput = {
    opts,
    partitions: Object.fromEntries(partitionsOf),
    ahead: AHEAD,
    ctl: ctl.buffer as SharedArrayBuffer,
  };
  // A larger young generation: the generator keeps thousands of entities alive, and each
  // scavenge copies them; fewer scavenges cost less.
  const worker = new Worker(url, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  const stop = () => {
    Atomics.store(ctl, 1, 1);
    Atomics.notify(ctl, 0);
  };
  p.signal?.addEventListener('abort', stop);
  let summary: GenerationSummary | undefined;
  const sent = () => {
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  };
  const rounds = (async function* (): AsyncGenerator<EncodedRound> {
    for await (const m of messages(worker)) {
      if (m.kind === 'done') {
        summary = m.summary;
        return;
      }
      yield {
        records: m.records,
        onDone: sent,
        requests: m.requests.map((r) => ({
          topic: r.topic,
          batches: r.batches.map((b) => ({
            partition: b.partition,
            count: b.count,
            batch: Buffer.from(b.batch.buffer, b.batch.byteOffset, b.batch.byteLength),
          })),
        })),
      };
    }
  })();
  try {
    await produceEncoded(session, rounds, { acks: p.acks, onProgress: p.onProgress });
  } finally {
    p.signal?.removeEventListener('abort', stop);
    stop();
    await worker.terminate();
  }
  if (!summary) throw new Error('the publish worker ended without its summary');
  return summary;
}

/** A worker's messages in order; throws what the worker threw. */
async function* messages(worker: Worker): AsyncGenerator<WorkerMessage> {
  const queue: WorkerMessage[] = [];
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    poke();
  });
  worker.on('error', (err) => {
    failure ??= err;
    poke();
  });
  worker.on('exit', () => {
    ended = true;
    poke();
  });
  for (;;) {
    const m = queue.shift();
    if (m) {
      yield m;
      if (m.kind === 'done') return;
      continue;
    }
    if (failure) throw failure;
    if (ended) throw new Error('the publish worker exited early');
    await new Promise<void>((res) => (wake = res));
  }
}

/**
 * At full speed: records in arrays of CHUNK, generated synchronously. An async generator per
 * record cost two promises and microtasks for each of a million records.
 */
const CHUNK = 512;

async function* chunks(
  records: Iterator<GeneratedRecord>,
  count: (r: GeneratedRecord) => void,
  signal?: AbortSignal,
): AsyncGenerator<GeneratedRecord[]> {
  for (;;) {
    if (signal?.aborted) return;
    const chunk: GeneratedRecord[] = [];
    for (let i = 0; i < CHUNK; i++) {
      const next = records.next();
      if (next.done) {
        if (chunk.length) yield chunk;
        return;
      }
      count(next.value);
      chunk.push(next.value);
    }
    yield chunk;
  }
}

/** Yields records no faster than `perSec` (wall clock); stops early when the signal aborts. */
async function* paced(
  records: Iterable<GeneratedRecord>,
  count: (r: GeneratedRecord) => void,
  perSec: number,
  signal?: AbortSignal,
): AsyncGenerator<GeneratedRecord> {
  const t0 = Date.now();
  let n = 0;
  for (const r of records) {
    if (signal?.aborted) return;
    const due = t0 + (n / perSec) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    n++;
    count(r);
    yield r;
  }
}
