import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, type Kafka, type KafkaMessage, Partitioners, type Producer } from 'kafkajs';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { PartitionReader } from '../../../src/lib/kafka/partition-reader.js';
import { produceRecords } from '../../../src/lib/kafka/produce.js';
import type { RecordData } from '../../../src/lib/records/jsonl.js';
import { kafka, openSession, runCli, uniqueName } from '../../helpers/kafka.js';

/**
 * Our produce and fetch codecs against kafkajs's own: records written by one side and read by the
 * other must be identical (keys, values, headers with repeated names, timestamps, partitions), and
 * keyed records must land where kafkajs's Java-compatible partitioner puts them.
 */

interface Seen {
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string | null | (string | null)[]>;
}

const hex = (b: Buffer | null | undefined): string | null =>
  b === null || b === undefined ? null : b.toString('hex');

function hexHeaders(h: Record<string, unknown> | undefined): Seen['headers'] {
  const out: Seen['headers'] = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    out[k] = Array.isArray(v) ? v.map((x) => hex(x as Buffer | null)) : hex(v as Buffer | null);
  }
  return out;
}

async function until(cond: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

function sortSeen(list: Seen[]): Seen[] {
  return [...list].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

let client: Kafka;
let admin: ReturnType<Kafka['admin']>;
let session: KafkaSession;

/**
 * Kept whatever the records' age: the samples carry timestamps from 2017 and 2025 (so a batch's
 * timestamp deltas exceed 32 bits), and with the default 7-day retention a broker's retention
 * check (every 5 minutes, on Kafka and on ours) could delete them between writing and reading.
 */
async function newTopic(prefix: string, partitions = 3): Promise<string> {
  const topic = uniqueName(prefix);
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, configEntries: [{ name: 'retention.ms', value: '-1' }] }],
    waitForLeaders: true,
  });
  return topic;
}

/** Every record of the topic as kafkajs's consumer API sees it (a group that starts at earliest). */
async function consumeWithKafkajs(topic: string, count: number): Promise<Seen[]> {
  const consumer = client.consumer({ groupId: uniqueName('fast-path-g') });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const seen: Seen[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${seen.length} records, want ${count}`)), 30_000);
      const done = () => {
        if (seen.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      };
      consumer
        .run({
          eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
            seen.push({
              partition,
              offset: Number(message.offset),
              timestamp: Number(message.timestamp),
              key: hex(message.key),
              value: hex(message.value),
              headers: hexHeaders(message.headers as Record<string, unknown>),
            });
            done();
          },
        })
        .catch(reject);
      done();
    });
  } finally {
    await consumer.disconnect();
  }
  return sortSeen(seen);
}

/** Every record of the topic through our fetch path (PartitionReader). */
async function readWithOurs(topic: string): Promise<Seen[]> {
  const s = await openSession('eb-fast-path');
  try {
    const reader = await PartitionReader.open(s, [topic]);
    const bounds = await reader.bounds([topic]);
    const assignments = reader.partitions(topic).map((partition) => {
      const b = bounds.get(`${topic}\u0000${partition}`)!;
      return { topic, partition, from: b.start, until: b.end };
    });
    const seen: Seen[] = [];
    for await (const batch of reader.read(assignments, { maxWaitMs: 100 })) {
      for (const r of batch) {
        seen.push({
          partition: r.partition,
          offset: r.offset,
          timestamp: r.timestamp,
          key: hex(r.key),
          value: hex(r.value),
          headers: hexHeaders(r.headers as Record<string, unknown>),
        });
      }
    }
    return sortSeen(seen);
  } finally {
    await s.close();
  }
}

/**
 * Records that exercise every field: binary bytes, null keys, tombstones, repeated headers, old
 * timestamps. kafkajs's producer cannot encode a null header value (it throws), so records meant
 * for it leave those out.
 */
function sampleRecords(n: number, nullHeaderValues = true): RecordData[] {
  const out: RecordData[] = [];
  for (let i = 0; i < n; i++) {
    const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
    if (i % 3 === 0) headers['trace'] = Buffer.from(`t-${i}`);
    if (i % 5 === 0)
      headers['tag'] = [
        Buffer.from('a'),
        Buffer.from([0xff, 0x00, 0xfe]),
        nullHeaderValues ? null : Buffer.alloc(0),
      ];
    if (i % 7 === 0) headers['ünïcode'] = Buffer.from('välue');
    out.push({
      key: i % 4 === 0 ? null : Buffer.from(`key-${i % 50}`),
      value: i % 11 === 0 ? null : Buffer.from([i & 0xff, 0x00, 0x80, 0xff, ...Buffer.from(`value ${i}`)]),
      headers,
      timestamp: i % 2 === 0 ? 1_500_000_000_000 + i * 1000 : 1_764_000_000_000 - i,
    });
  }
  return out;
}

function toMessage(r: RecordData, partition?: number): Parameters<Producer['send']>[0]['messages'][number] {
  return {
    key: r.key,
    value: r.value,
    headers: r.headers as Record<string, Buffer>,
    timestamp: r.timestamp === undefined ? undefined : String(r.timestamp),
    partition,
  };
}

beforeAll(async () => {
  client = kafka('eb-fast-path-test');
  admin = client.admin();
  await admin.connect();
  session = await openSession('eb-fast-path');
});

afterAll(async () => {
  await session?.close();
  await admin?.disconnect();
});

describe('our produce path, read by kafkajs', () => {
  it.each(['none', 'gzip'] as const)('round-trips every field (compression %s)', async (compression) => {
    const topic = await newTopic('fp-ours-to-kjs');
    const records = sampleRecords(500);
    const summary = await produceRecords(session, records, { topic, acks: -1, compression, batchSize: 120 });
    expect(summary.count, `got count ${summary.count}, want 500`).toBe(500);
    const seen = await consumeWithKafkajs(topic, records.length);
    const total = summary.partitions.reduce((n, p) => n + p.count, 0);
    expect(total).toBe(500);
    for (const p of summary.partitions) {
      const inPartition = seen.filter((s) => s.partition === p.partition);
      expect(inPartition.length, `partition ${p.partition}: got ${inPartition.length}, want ${p.count}`).toBe(
        p.count,
      );
      expect([p.firstOffset, p.lastOffset]).toEqual([inPartition[0]!.offset, inPartition.at(-1)!.offset]);
    }
    // Same records, same order within each partition.
    const want = new Map<string, Omit<Seen, 'partition' | 'offset'>[]>();
    const partitioner = Partitioners.DefaultPartitioner();
    const meta = [0, 1, 2].map((partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
      offlineReplicas: [],
    }));
    for (const r of records.filter((x) => x.key !== null)) {
      // Keyed records: kafkajs's Java-compatible partitioner decides, so compare placement exactly.
      const p = partitioner({ topic, partitionMetadata: meta, message: toMessage(r) });
      const got = seen.find((s) => s.key === hex(r.key) && s.timestamp === r.timestamp);
      expect(got?.partition, `key ${r.key!.toString()}: got partition ${got?.partition}, want ${p}`).toBe(p);
    }
    for (const r of records) {
      const k = hex(r.key) + '|' + r.timestamp;
      want.set(k, [
        ...(want.get(k) ?? []),
        { timestamp: r.timestamp!, key: hex(r.key), value: hex(r.value), headers: hexHeaders(r.headers) },
      ]);
    }
    for (const s of seen) {
      const { partition: _p, offset: _o, ...rest } = s;
      expect([rest]).toEqual(want.get(s.key + '|' + s.timestamp));
    }
  });

  it('keeps identical placement to the kafkajs producer for keyed records, and round-robins null keys', async () => {
    const ours = await newTopic('fp-place-ours', 5);
    const theirs = await newTopic('fp-place-kjs', 5);
    const records: RecordData[] = Array.from({ length: 300 }, (_, i) => ({
      key: Buffer.from(`customer-${i * 7919}`),
      value: Buffer.from(String(i)),
      headers: {},
      timestamp: 1_700_000_000_000 + i,
    }));
    await produceRecords(session, records, { topic: ours, acks: 1, compression: 'none' });
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: theirs, messages: records.map((r) => toMessage(r)) });
    await producer.disconnect();
    const a = await readWithOurs(ours);
    const b = await readWithOurs(theirs);
    const place = (l: Seen[]) => new Map(l.map((s) => [s.key, s.partition]));
    expect(place(a)).toEqual(place(b));

    const nullKeys = await newTopic('fp-null-keys', 3);
    const s = await produceRecords(
      session,
      Array.from({ length: 30 }, (_, i) => ({ key: null, value: Buffer.from(String(i)), headers: {} })),
      { topic: nullKeys, acks: -1, compression: 'none', batchSize: 1000 },
    );
    // Round robin from a random start: every partition gets exactly a third.
    expect(s.partitions.map((p) => p.count)).toEqual([10, 10, 10]);
  });

  it('cuts requests at about 1 MB, so one partition never gets a batch above max.message.bytes', async () => {
    const topic = await newTopic('fp-big', 2);
    const records = Array.from({ length: 3000 }, (_, i) => ({
      key: null,
      value: Buffer.alloc(1000, i & 0xff),
      headers: { h: Buffer.from('x') },
    }));
    const s = await produceRecords(session, records, {
      topic,
      partition: 1,
      acks: -1,
      compression: 'none',
      batchSize: 100_000,
    });
    expect(s.partitions).toEqual([{ topic, partition: 1, count: 3000, firstOffset: 0, lastOffset: 2999 }]);
  });

  it('acks=0 and acks=1 deliver everything; acks=0 reports no offsets', async () => {
    const topic = await newTopic('fp-acks', 2);
    const records = sampleRecords(200);
    const zero = await produceRecords(session, records, {
      topic,
      acks: 0,
      compression: 'none',
      batchSize: 50,
    });
    expect(zero.partitions.every((p) => p.firstOffset === null && p.lastOffset === null)).toBe(true);
    const one = await produceRecords(session, records, {
      topic,
      acks: 1,
      compression: 'gzip',
      batchSize: 50,
    });
    expect(one.partitions.every((p) => p.firstOffset !== null)).toBe(true);
    // acks=0 requests are done once written; the broker may still be appending them.
    await until(
      async () => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0) >= 400,
    );
    const seen = await readWithOurs(topic);
    expect(seen.length, `got ${seen.length} records, want 400`).toBe(400);
  });
});

describe('kafkajs produce path, read by ours', () => {
  it.each([
    ['none', CompressionTypes.None],
    ['gzip', CompressionTypes.GZIP],
  ] as const)(
    'reads exactly what the kafkajs consumer reads (compression %s)',
    async (_name, compression) => {
      const topic = await newTopic('fp-kjs-to-ours');
      const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const records = sampleRecords(400, false);
      for (let i = 0; i < records.length; i += 100) {
        await producer.send({
          topic,
          compression,
          messages: records.slice(i, i + 100).map((r, j) => toMessage(r, (i + j) % 3)),
        });
      }
      await producer.disconnect();
      const ours = await readWithOurs(topic);
      const theirs = await consumeWithKafkajs(topic, records.length);
      expect(ours.length).toBe(400);
      expect(ours).toEqual(theirs);
    },
  );

  it('skips records before the requested offset inside a batch and stops at until', async () => {
    const topic = await newTopic('fp-mid-batch', 1);
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 50 }, (_, i) => ({ value: `v${i}`, partition: 0 })),
    });
    await producer.disconnect();
    const s = await openSession('eb-fast-path');
    try {
      const reader = await PartitionReader.open(s, [topic]);
      const offsets: number[] = [];
      for await (const batch of reader.read([{ topic, partition: 0, from: 17, until: 23 }], {
        maxWaitMs: 100,
      })) {
        offsets.push(...batch.map((r) => r.offset));
      }
      expect(offsets).toEqual([17, 18, 19, 20, 21, 22]);
    } finally {
      await s.close();
    }
  });

  it('names the partition and offset when a fetch is out of range', async () => {
    const topic = await newTopic('fp-oor', 1);
    const s = await openSession('eb-fast-path');
    try {
      const reader = await PartitionReader.open(s, [topic]);
      const it = reader.read([{ topic, partition: 0, from: 1000, until: 1001 }], { maxWaitMs: 100 });
      const err = await it.next().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message ?? 'no error').toMatch(new RegExp(`offset 1000.*${topic}.*0.*out of range`, 'i'));
    } finally {
      await s.close();
    }
  });
});

describe('CLI: tail --output jsonl | produce --input jsonl', () => {
  it('copies a topic losslessly, partitions and timestamps included', async () => {
    const src = await newTopic('fp-cli-src');
    const dst = await newTopic('fp-cli-dst');
    const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const records = sampleRecords(300, false);
    await producer.send({ topic: src, messages: records.map((r, i) => toMessage(r, i % 3)) });
    await producer.disconnect();
    const tail = await runCli(['tail', src, '--until', 'end', '--output', 'jsonl']);
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout.trim().split('\n').length).toBe(300);
    const produce = await runCli(['produce', dst, '--input', 'jsonl', '--json'], { input: tail.stdout });
    expect(produce.code, produce.stderr).toBe(0);
    const a = await readWithOurs(src);
    const b = await readWithOurs(dst);
    expect(b).toEqual(a);
    const c = await consumeWithKafkajs(dst, 300);
    expect(c).toEqual(a);
  });
});
