import { EbError, usageError } from '../cli/errors.js';
import { isTextBlock, LineCursor, type TextBlock } from '../records/input.js';
import type { RecordData } from '../records/jsonl.js';
import type { KafkaSession } from './client.js';
import { openCluster, sessionRetrier } from './wire/kafkajs-bridge.js';
import { JavaCompatiblePartitioner, type PartitionInfo } from './wire/partitioner.js';
import { initProducerId, ProduceSender, type ProducerIdentity } from './wire/produce-sender.js';
import { BatchBufferPool, type ProducerFields, RecordBatchBuilder } from './wire/record-batch-encoder.js';
import { MAX_REQUEST_BYTES, type PartitionSummary, RequestPipeline } from './wire/request-pipeline.js';

export type Acks = -1 | 0 | 1;

/** Requests per topic in flight for an idempotent producer: Kafka orders at most five (KIP-98). */
const IDEMPOTENT_IN_FLIGHT = 5;
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
  /** Produce requests in flight at once, over all topics (see RequestPipeline for one topic). */
  maxInFlight?: number;
  /**
   * With acks=all (the default), produce as an idempotent producer (default true): the broker
   * then writes a retried batch once, and up to five requests per topic may be in flight.
   */
  idempotent?: boolean;
  onProgress?: (sent: number) => void;
}

export type { PartitionSummary } from './wire/request-pipeline.js';

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

/** One topic's records waiting for the next request: a batch per partition, built as they come. */
interface TopicPending {
  readonly topic: string;
  readonly parts: readonly PartitionInfo[];
  builders: Map<number, RecordBatchBuilder>;
}

/**
 * Sends records in batches and reports per-partition offset ranges. We choose each record's
 * partition ourselves with the Java-compatible partitioner (the same placement as kafkajs's
 * DefaultPartitioner), so the summary knows exactly which offsets each partition got. Each record
 * is appended to its partition's record batch as it comes (src/lib/kafka/wire), and the batches go
 * out as Produce requests over kafkajs's cluster and broker connections: kafkajs's producer spent
 * most of its time regrouping and re-encoding messages. RequestPipeline keeps each key's records
 * in order.
 */
export async function produceRecords(
  session: KafkaSession,
  /**
   * Records one by one, or in arrays (inputRecordBatches): arrays save an await per record; or
   * blocks of text lines (inputChunks), which cost no object per line.
   */
  records:
    AsyncIterable<RecordData> | Iterable<RecordData> | AsyncIterable<readonly RecordData[] | TextBlock>,
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
      t = { topic, parts, builders: new Map() };
      topics.set(topic, t);
    }
    return t;
  };
  // Kafka's producer enables idempotence only with acks=all (KIP-679); so do we. A cluster that
  // refuses a producer id (before Kafka 2.8 it takes the IdempotentWrite ACL) gets a plain
  // producer instead, one request per topic in flight, as without idempotence.
  const producer: ProducerIdentity | undefined =
    opts.acks === -1 && opts.idempotent !== false
      ? await initProducerId(cluster, sessionRetrier(session)).catch(() => undefined)
      : undefined;
  const pipeline = new RequestPipeline(sender, opts.acks, maxInFlight, producer ? IDEMPOTENT_IN_FLIGHT : 1);
  /** The next sequence number per topic-partition (idempotent producer). */
  const sequences = new Map<string, number>();
  const buffers = new BatchBufferPool();
  /** Last batch size per topic-partition: where the next one's buffer starts. */
  const sizeHint = new Map<string, number>();
  let count = 0;
  let bytes = 0;

  const send = async (t: TopicPending) => {
    const batches = [...t.builders].map(([partition, b]) => {
      const k = `${t.topic}:${partition}`;
      sizeHint.set(k, b.size);
      let fields: ProducerFields | undefined;
      if (producer) {
        // Sequences number a partition's records from 0 and wrap after 2^31-1, as Kafka's do.
        const baseSequence = sequences.get(k) ?? 0;
        sequences.set(k, (baseSequence + b.count) % 2 ** 31);
        fields = { ...producer, baseSequence };
      }
      return {
        partition,
        count: b.count,
        batch: b.finish(opts.compression, fields),
        release: () => b.release(),
      };
    });
    t.builders = new Map();
    await pipeline.send(t.topic, batches);
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

  /** The builder of a topic-partition's batch in the next request. */
  const builderOf = (t: TopicPending, partition: number): RecordBatchBuilder => {
    if (partition < 0 || partition >= t.parts.length) {
      throw usageError(
        `partition ${partition} does not exist in ${t.topic}`,
        `${t.topic} has partitions 0..${t.parts.length - 1}`,
      );
    }
    let b = t.builders.get(partition);
    if (b === undefined) {
      if (t.builders.size === 0) pending.push(t);
      // With room to spare: the next batch is about as big, and growing copies it.
      const hint = sizeHint.get(`${t.topic}:${partition}`);
      b = new RecordBatchBuilder(hint === undefined ? undefined : hint + (hint >>> 3), buffers);
      t.builders.set(partition, b);
    }
    return b;
  };
  /** Counts a record appended to `b` (which was `before` bytes); true when a request is due. */
  const appended = (b: RecordBatchBuilder, before: number, payload: number): boolean => {
    pendingBytes += b.size - before;
    pendingCount++;
    count++;
    bytes += payload;
    return pendingCount >= batchSize || pendingBytes >= MAX_REQUEST_BYTES;
  };
  const due = async () => {
    await flush();
    opts.onProgress?.(count);
  };

  // The last record's topic: one topic is the common case, and a map look-up per record is a
  // measurable part of a million.
  let last: TopicPending | undefined;
  for await (const item of records) {
    // Records without a timestamp get the time they reach us, as the Java producer stamps them in
    // send(); one clock read per chunk of input.
    const now = Date.now();
    if (isTextBlock(item)) {
      // Lines of text, appended where they lie in the input (see LineCursor).
      const t = last?.topic === opts.topic ? last : (topics.get(opts.topic) ?? (await topicOf(opts.topic)));
      last = t;
      const { data, format } = item;
      const lines = new LineCursor(data, format.separator);
      while (lines.next()) {
        const key = lines.keyEnd < 0 ? format.key : data.subarray(lines.keyStart, lines.keyEnd);
        const b = builderOf(t, opts.partition ?? partitioner.partition(t.topic, key, t.parts));
        const before = b.size;
        b.appendSlice(key, data, lines.valueStart, lines.valueEnd, format.headers, now);
        const payload = lines.valueEnd - lines.valueStart + (key === null ? 0 : key.length);
        if (appended(b, before, payload)) await due();
      }
      continue;
    }
    const list: readonly RecordData[] = Array.isArray(item) ? item : [item as RecordData];
    for (const r of list) {
      const topic = (opts.useRecordTopic && r.topic) || opts.topic;
      let t = last;
      if (t === undefined || t.topic !== topic) {
        // Only a topic not seen yet costs an await (a microtask per record adds up at 1M records).
        t = topics.get(topic) ?? (await topicOf(topic));
        last = t;
      }
      let partition = opts.partition ?? (opts.useRecordPartition ? r.partition : undefined);
      if (partition === undefined) partition = partitioner.partition(topic, r.key, t.parts);
      const b = builderOf(t, partition);
      const before = b.size;
      b.append(r, now);
      if (appended(b, before, (r.value?.length ?? 0) + (r.key?.length ?? 0))) await due();
    }
  }
  await flush();
  await pipeline.drain();
  opts.onProgress?.(count);
  return { count, bytes, elapsedMs: Date.now() - started, partitions: pipeline.partitions() };
}

/** A round of requests already encoded elsewhere (publish's worker), one per topic. */
export interface EncodedRound {
  requests: { topic: string; batches: { partition: number; count: number; batch: Buffer }[] }[];
  records: number;
  /** Called once every request of the round is answered. */
  onDone?: () => void;
}

/** Sends rounds of encoded batches in order (see RequestPipeline) and sums them up. */
export async function produceEncoded(
  session: KafkaSession,
  rounds: AsyncIterable<EncodedRound>,
  opts: { acks: Acks; maxInFlight?: number; onProgress?: (sent: number) => void },
): Promise<ProduceSummary> {
  const started = Date.now();
  const cluster = await openCluster(session, []);
  const sender = new ProduceSender(cluster, sessionRetrier(session), { acks: opts.acks });
  const pipeline = new RequestPipeline(sender, opts.acks, Math.max(1, opts.maxInFlight ?? 8));
  const known = new Set<string>();
  let count = 0;
  let bytes = 0;
  for await (const round of rounds) {
    let left = round.requests.length;
    const done = () => {
      if (--left === 0) round.onDone?.();
    };
    for (const { topic, batches } of round.requests) {
      if (!known.has(topic)) {
        await cluster.addMultipleTargetTopics([topic]);
        known.add(topic);
      }
      for (const b of batches) bytes += b.batch.length;
      await pipeline.send(topic, batches, done);
    }
    count += round.records;
    opts.onProgress?.(count);
  }
  await pipeline.drain();
  return { count, bytes, elapsedMs: Date.now() - started, partitions: pipeline.partitions() };
}
