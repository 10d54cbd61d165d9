import { EbError, usageError } from '../cli/errors.js';
import type { RecordData } from '../records/jsonl.js';
import type { KafkaSession } from './client.js';
import { openCluster, sessionRetrier } from './wire/kafkajs-bridge.js';
import { JavaCompatiblePartitioner, type PartitionInfo } from './wire/partitioner.js';
import type { PartitionBatch } from './wire/produce-codec.js';
import { ProduceSender } from './wire/produce-sender.js';
import { RecordBatchBuilder } from './wire/record-batch-encoder.js';

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
  /** Produce requests in flight at once, over all topics; one topic has at most one. */
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
 * A request is sent once its batches reach this many bytes, whatever batchSize says: the broker
 * refuses a batch above max.message.bytes (1 MiB by default) with MESSAGE_TOO_LARGE, and with
 * --partition one partition's batch is the whole request. Java's producer caps a request at 1 MB
 * (max.request.size) for the same reason.
 */
const MAX_REQUEST_BYTES = 1_000_000;

/** One topic's records waiting for the next request: a batch per partition, built as they come. */
interface TopicPending {
  readonly topic: string;
  readonly parts: readonly PartitionInfo[];
  builders: Map<number, RecordBatchBuilder>;
  /** The request of this topic in flight, if any: the next one waits for it (see send). */
  inflight: Promise<void> | undefined;
}

/**
 * Sends records in batches and reports per-partition offset ranges. We choose each record's
 * partition ourselves with the Java-compatible partitioner (the same placement as kafkajs's
 * DefaultPartitioner), so the summary knows exactly which offsets each partition got. Each record
 * is appended to its partition's record batch as it comes (src/lib/kafka/wire), and the batches go
 * out as Produce requests over kafkajs's cluster and broker connections: kafkajs's producer spent
 * most of its time regrouping and re-encoding messages.
 *
 * Order: a topic has at most one request in flight; the next one is built meanwhile and sent when
 * the first is answered. We are not an idempotent producer, so this is what keeps a key's records
 * in order when a request is retried (Kafka's max.in.flight.requests.per.connection=1 rule for
 * producers without idempotence). Requests of different topics go out side by side, up to
 * `maxInFlight`.
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
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 8);

  const topics = new Map<string, TopicPending>();
  const topicOf = async (topic: string): Promise<TopicPending> => {
    let t = topics.get(topic);
    if (!t) {
      const md = await admin.fetchTopicMetadata({ topics: [topic] }).catch((err: unknown) => {
        throw new EbError(`topic "${topic}" not found`, {
          hint: 'create it with `eventbench topic create`',
          cause: err,
        });
      });
      const parts = (md.topics[0]?.partitions ?? []).map((p) => ({
        partitionId: p.partitionId,
        leader: p.leader,
      }));
      await cluster.addMultipleTargetTopics([topic]);
      t = { topic, parts, builders: new Map(), inflight: undefined };
      topics.set(topic, t);
    }
    return t;
  };
  const summaries = new Map<string, PartitionSummary>();
  /** Last batch size per topic-partition: where the next one's buffer starts. */
  const sizeHint = new Map<string, number>();
  let count = 0;
  let bytes = 0;
  const inflight = new Set<Promise<void>>();
  let failure: unknown;

  const send = async (t: TopicPending) => {
    const builders = t.builders;
    t.builders = new Map();
    for (const [partition, b] of builders) sizeHint.set(`${t.topic}:${partition}`, b.size);
    // Max one request per topic in flight (see above); the next one was built while it flew.
    if (t.inflight) await t.inflight;
    while (inflight.size >= maxInFlight) await Promise.race(inflight);
    if (failure) throw failure;
    const p = sendBatch(sender, t.topic, builders, opts.acks, opts.compression, summaries).then(
      () => {
        inflight.delete(p);
        if (t.inflight === p) t.inflight = undefined;
      },
      (err: unknown) => {
        inflight.delete(p);
        if (t.inflight === p) t.inflight = undefined;
        failure ??= err;
      },
    );
    t.inflight = p;
    inflight.add(p);
  };

  let pending: TopicPending[] = [];
  let pendingCount = 0;
  let pendingBytes = 0;
  const flush = async () => {
    const due = pending;
    pending = [];
    pendingCount = 0;
    pendingBytes = 0;
    for (const t of due) await send(t);
  };

  // The last record's topic: one topic is the common case, and a map look-up per record is a
  // measurable part of a million.
  let last: TopicPending | undefined;
  for await (const item of records) {
    const list: readonly RecordData[] = Array.isArray(item) ? item : [item as RecordData];
    // Records without a timestamp get the time they reach us, as the Java producer stamps them in
    // send(); one clock read per chunk of input.
    const now = Date.now();
    for (const r of list) {
      const topic = (opts.useRecordTopic && r.topic) || opts.topic;
      let t = last;
      if (t === undefined || t.topic !== topic) {
        // Only a topic not seen yet costs an await (a microtask per record adds up at 1M records).
        t = topics.get(topic) ?? (await topicOf(topic));
        last = t;
      }
      const parts = t.parts;
      let partition = opts.partition ?? (opts.useRecordPartition ? r.partition : undefined);
      if (partition === undefined) partition = partitioner.partition(topic, r.key, parts);
      if (partition < 0 || partition >= parts.length) {
        throw usageError(
          `partition ${partition} does not exist in ${topic}`,
          `${topic} has partitions 0..${parts.length - 1}`,
        );
      }
      let b = t.builders.get(partition);
      if (b === undefined) {
        if (t.builders.size === 0) pending.push(t);
        b = new RecordBatchBuilder(sizeHint.get(`${topic}:${partition}`));
        t.builders.set(partition, b);
      }
      const before = b.size;
      b.append(r, now);
      pendingBytes += b.size - before;
      pendingCount++;
      count++;
      bytes += (r.value?.length ?? 0) + (r.key?.length ?? 0);
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

async function sendBatch(
  sender: ProduceSender,
  topic: string,
  builders: Map<number, RecordBatchBuilder>,
  acks: Acks,
  compression: Compression,
  summaries: Map<string, PartitionSummary>,
): Promise<void> {
  const perPartition = new Map<number, number>();
  for (const [partition, b] of builders) perPartition.set(partition, b.count);
  // gzip runs on libuv's thread pool, so the partitions compress in parallel.
  const batches: PartitionBatch[] = await Promise.all(
    [...builders].map(async ([partition, b]) => ({ partition, batch: await b.finish(compression) })),
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
