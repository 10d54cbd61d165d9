import type { Message, Producer } from 'kafkajs';
import { EbError, usageError } from '../cli/errors.js';
import type { RecordData } from '../records/jsonl.js';
import { type KafkaSession, loadKafkajs } from './client.js';

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
  /** Records per produce request. */
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

type Partitioner = (args: {
  topic: string;
  partitionMetadata: { partitionId: number }[];
  message: Message;
}) => number;

/**
 * Sends records in batches, several requests in flight, and reports per-partition offset ranges.
 * We choose each record's partition ourselves with kafkajs's Java-compatible partitioner, so the
 * summary knows exactly which offsets each partition got.
 */
export async function produceRecords(
  session: KafkaSession,
  records: AsyncIterable<RecordData> | Iterable<RecordData>,
  opts: ProduceOptions,
): Promise<ProduceSummary> {
  const started = Date.now();
  const kjs = await loadKafkajs();
  const producer = await session.producer({ allowAutoTopicCreation: false });
  const admin = await session.admin();
  const partitioner = kjs.Partitioners.DefaultPartitioner() as unknown as Partitioner;
  const compression = opts.compression === 'gzip' ? kjs.CompressionTypes.GZIP : kjs.CompressionTypes.None;
  const batchSize = opts.batchSize ?? 2000;
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 4);

  const meta = new Map<string, { partitionId: number }[]>();
  const partitionsOf = async (topic: string) => {
    let m = meta.get(topic);
    if (!m) {
      const md = await admin.fetchTopicMetadata({ topics: [topic] }).catch((err: unknown) => {
        throw new EbError(`topic "${topic}" not found`, {
          hint: 'create it with `eventbench topic create`',
          cause: err,
        });
      });
      m = (md.topics[0]?.partitions ?? []).map((p) => ({ partitionId: p.partitionId }));
      meta.set(topic, m);
    }
    return m;
  };
  const summaries = new Map<string, PartitionSummary>();
  let count = 0;
  let bytes = 0;
  const inflight = new Set<Promise<void>>();
  let failure: unknown;

  const send = (topic: string, messages: Message[]) => {
    const p = sendBatch(producer, topic, messages, opts.acks, compression, summaries).then(
      () => void inflight.delete(p),
      (err: unknown) => {
        inflight.delete(p);
        failure ??= err;
      },
    );
    inflight.add(p);
  };

  let pending = new Map<string, Message[]>();
  let pendingCount = 0;
  const flush = async () => {
    for (const [topic, msgs] of pending) send(topic, msgs);
    pending = new Map();
    pendingCount = 0;
    while (inflight.size >= maxInFlight) await Promise.race(inflight);
    if (failure) throw failure;
  };

  for await (const r of records) {
    const topic = (opts.useRecordTopic && r.topic) || opts.topic;
    const parts = await partitionsOf(topic);
    const message: Message = {
      key: r.key,
      value: r.value,
      headers: r.headers as Message['headers'],
      timestamp: r.timestamp !== undefined ? String(r.timestamp) : undefined,
    };
    let partition = opts.partition ?? (opts.useRecordPartition ? r.partition : undefined);
    if (partition === undefined) partition = partitioner({ topic, partitionMetadata: parts, message });
    if (partition < 0 || partition >= parts.length) {
      throw usageError(
        `partition ${partition} does not exist in ${topic}`,
        `${topic} has partitions 0..${parts.length - 1}`,
      );
    }
    message.partition = partition;
    const list = pending.get(topic) ?? [];
    list.push(message);
    pending.set(topic, list);
    pendingCount++;
    count++;
    bytes += (r.value?.length ?? 0) + (r.key?.length ?? 0);
    if (pendingCount >= batchSize) {
      await flush();
      opts.onProgress?.(count);
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
  producer: Producer,
  topic: string,
  messages: Message[],
  acks: Acks,
  compression: number,
  summaries: Map<string, PartitionSummary>,
): Promise<void> {
  const perPartition = new Map<number, number>();
  for (const m of messages) perPartition.set(m.partition!, (perPartition.get(m.partition!) ?? 0) + 1);
  const meta = await producer.send({ topic, messages, acks, compression });
  const base = new Map(
    meta.map((m) => [m.partition, m.baseOffset === undefined ? null : Number(m.baseOffset)]),
  );
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
