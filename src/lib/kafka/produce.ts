import { EbError, usageError } from '../cli/errors.js';
import type { RecordData } from '../records/jsonl.js';
import type { KafkaSession } from './client.js';
import { openCluster, sessionRetrier } from './wire/kafkajs-bridge.js';
import { JavaCompatiblePartitioner, type PartitionInfo } from './wire/partitioner.js';
import type { PartitionBatch } from './wire/produce-codec.js';
import { ProduceSender } from './wire/produce-sender.js';
import { encodeRecordBatch } from './wire/record-batch-encoder.js';

export type Acks = -1 | 0 | 1;
export type Compression = 'none' | 'gzip';

export interface ProduceOptions {
  /** Default topic; a record's own `topic` wins when `useRecordTopic` is set. */
  topic: string;
  useRecordTopic?: boolean;
  /** Force every record into this partition. */
  partition?: number;
  /** Keep a record's own partition (jsonl round trips); otherwise keys decide. */
  useRecordPartition?: boolean;
  acks: Acks;
  compression: Compression;
  /** Records per produce request (requests are also cut at about 1 MB, see MAX_REQUEST_BYTES). */
  batchSize?: number;
  /** Produce requests in flight at once. Above 1, a retried request may land after a later one. */
  maxInFlight?: number;
  onProgress?: (sent: number) => void;
}

export interface PartitionSummary {
  topic: string;
  partition: number;
  count: number;
  /** null with acks=0: the broker does not say. */
  firstOffset: number | null;
  lastOffset: number | null;
}

export interface ProduceSummary {
  count: number;
  bytes: number;
  elapsedMs: number;
  partitions: PartitionSummary[];
}

export function parseAcks(text: string): Acks {
  const map: Record<string, Acks> = { all: -1, '-1': -1, '0': 0, none: 0, '1': 1, leader: 1 };
  const a = map[text];
  if (a === undefined)
    throw usageError(`--acks "${text}" is not valid`, 'use all (-1), 1 (leader) or 0 (none)');
  return a;
}

/**
 * A request is sent once its records reach about this many bytes, whatever batchSize says: the
 * broker refuses a batch above max.message.bytes (1 MiB by default) with MESSAGE_TOO_LARGE, and
 * with --partition one partition's batch is the whole request. Java's producer caps a request at
 * 1 MB (max.request.size) for the same reason.
 */
const MAX_REQUEST_BYTES = 1_000_000;
/** Per-record bytes beyond key and value: length, attributes, deltas, lengths, header count. */
const RECORD_OVERHEAD = 16;

/**
 * Sends records in batches, several requests in flight, and reports per-partition offset ranges.
 * We choose each record's partition ourselves with the Java-compatible partitioner (the same
 * placement as kafkajs's DefaultPartitioner), so the summary knows exactly which offsets each
 * partition got. Batches are encoded by our record batch codec and sent as Produce requests over
 * kafkajs's cluster and broker connections (src/lib/kafka/wire): kafkajs's producer spent most of
 * its time regrouping and re-encoding messages.
 */
export async function produceRecords(
  session: KafkaSession,
  /** Records one by one, or in arrays (inputRecordBatches): arrays save an await per record. */
  records: AsyncIterable<RecordData> | Iterable<RecordData> | AsyncIterable<readonly RecordData[]>,
  opts: ProduceOptions,
): Promise<ProduceSummary> {
  const started = Date.now();
  const admin = await session.admin();
  const cluster = await openCluster(session, []);
  const sender = new ProduceSender(cluster, sessionRetrier(session), { acks: opts.acks });
  const partitioner = new JavaCompatiblePartitioner();
  // Few large requests: each has a fixed cost in kafkajs (queue, encoders, promises) and in the
  // broker (its network and handler threads, one log append per partition). With 100-byte records
  // produce ran 25% slower at 2,000 a request than at 10,000 (~1 MB, where the byte cap cuts).
  const batchSize = opts.batchSize ?? 10_000;
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 4);

  const meta = new Map<string, PartitionInfo[]>();
  const partitionsOf = async (topic: string) => {
    let m = meta.get(topic);
    if (!m) {
      const md = await admin.fetchTopicMetadata({ topics: [topic] }).catch((err: unknown) => {
        throw new EbError(`topic "${topic}" not found`, {
          hint: 'create it with `eventbench topic create`',
          cause: err,
        });
      });
      m = (md.topics[0]?.partitions ?? []).map((p) => ({ partitionId: p.partitionId, leader: p.leader }));
      await cluster.addMultipleTargetTopics([topic]);
      meta.set(topic, m);
    }
    return m;
  };
  const summaries = new Map<string, PartitionSummary>();
  let count = 0;
  let bytes = 0;
  const inflight = new Set<Promise<void>>();
  let failure: unknown;

  const send = (topic: string, partitions: Map<number, RecordData[]>) => {
    const p = sendBatch(sender, topic, partitions, opts.acks, opts.compression, summaries).then(
      () => void inflight.delete(p),
      (err: unknown) => {
        inflight.delete(p);
        failure ??= err;
      },
    );
    inflight.add(p);
  };

  let pending = new Map<string, Map<number, RecordData[]>>();
  let pendingCount = 0;
  let pendingBytes = 0;
  // The last record's topic, its partitions and queues: one topic is the common case, and two map
  // look-ups per record are a measurable part of a million.
  let lastTopic: string | undefined;
  let lastParts: PartitionInfo[] = [];
  let lastQueues: Map<number, RecordData[]> | undefined;
  const flush = async () => {
    for (const [topic, msgs] of pending) send(topic, msgs);
    pending = new Map();
    lastQueues = undefined;
    pendingCount = 0;
    pendingBytes = 0;
    while (inflight.size >= maxInFlight) await Promise.race(inflight);
    if (failure) throw failure;
  };

  for await (const item of records) {
    const list: readonly RecordData[] = Array.isArray(item) ? item : [item as RecordData];
    for (const r of list) {
      const topic = (opts.useRecordTopic && r.topic) || opts.topic;
      if (topic !== lastTopic || lastQueues === undefined) {
        // Only a topic not seen yet costs an await (a microtask per record adds up at 1M records).
        lastParts = meta.get(topic) ?? (await partitionsOf(topic));
        lastQueues = pending.get(topic);
        if (!lastQueues) pending.set(topic, (lastQueues = new Map()));
        lastTopic = topic;
      }
      const parts = lastParts;
      let partition = opts.partition ?? (opts.useRecordPartition ? r.partition : undefined);
      if (partition === undefined) partition = partitioner.partition(topic, r.key, parts);
      if (partition < 0 || partition >= parts.length) {
        throw usageError(
          `partition ${partition} does not exist in ${topic}`,
          `${topic} has partitions 0..${parts.length - 1}`,
        );
      }
      const queued = lastQueues.get(partition);
      if (queued) queued.push(r);
      else lastQueues.set(partition, [r]);
      pendingCount++;
      count++;
      const size = (r.value?.length ?? 0) + (r.key?.length ?? 0);
      bytes += size;
      pendingBytes += size + RECORD_OVERHEAD + headersSize(r.headers);
      if (pendingCount >= batchSize || pendingBytes >= MAX_REQUEST_BYTES) {
        await flush();
        opts.onProgress?.(count);
      }
    }
  }
  await flush();
  await Promise.all(inflight);
  if (failure) throw failure;
  opts.onProgress?.(count);
  return {
    count,
    bytes,
    elapsedMs: Date.now() - started,
    partitions: [...summaries.values()].sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
    ),
  };
}

/** Encoded size of a record's headers; text input shares one headers object, so cache the last. */
let lastHeaders: RecordData['headers'] | undefined;
let lastHeadersSize = 0;
function headersSize(h: RecordData['headers']): number {
  if (h === lastHeaders) return lastHeadersSize;
  let size = 0;
  for (const [k, v] of Object.entries(h)) {
    for (const x of Array.isArray(v) ? v : [v])
      size += Buffer.byteLength(k) + ((x as Buffer | null)?.length ?? 0) + 4;
  }
  lastHeaders = h;
  lastHeadersSize = size;
  return size;
}

async function sendBatch(
  sender: ProduceSender,
  topic: string,
  partitions: Map<number, RecordData[]>,
  acks: Acks,
  compression: Compression,
  summaries: Map<string, PartitionSummary>,
): Promise<void> {
  const perPartition = new Map<number, number>();
  for (const [partition, records] of partitions) perPartition.set(partition, records.length);
  // gzip runs on libuv's thread pool, so the partitions compress in parallel.
  const batches: PartitionBatch[] = await Promise.all(
    [...partitions].map(async ([partition, records]) => ({
      partition,
      batch: await encodeRecordBatch(records, { compression }),
    })),
  );
  const base = await sender.send(topic, batches);
  for (const [partition, n] of perPartition) {
    const k = `${topic}:${partition}`;
    const s = summaries.get(k) ?? { topic, partition, count: 0, firstOffset: null, lastOffset: null };
    const b = acks === 0 ? null : (base.get(partition) ?? null);
    s.count += n;
    if (b !== null && b >= 0) {
      s.firstOffset = s.firstOffset === null ? b : Math.min(s.firstOffset, b);
      s.lastOffset = Math.max(s.lastOffset ?? -1, b + n - 1);
    }
    summaries.set(k, s);
  }
}
