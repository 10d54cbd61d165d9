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
import { type Acks, produceRecords } from './produce.js';
import { createTopic } from './topics.js';

export interface PublishOptions {
  /** Real sending pace in events/s; undefined = as fast as possible (--rate max). */
  pacePerSec?: number;
  acks: Acks;
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
}

export interface PublishResult {
  summary: GenerationSummary;
  topics: { topic: string; partitions: number; created: boolean }[];
  elapsedMs: number;
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
  const partitionsOf = new Map(topics.map((t) => [t.topic, t.partitions]));
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
