// kafkajs 2.2.4 against the embedded broker started in this process (real TCP, real files):
// topics, metadata, produce in every acks mode and with gzip and idempotence, fetch, offsets by
// time, delete records, configs, partitions, and a long poll that ends when data arrives.
import { CompressionTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawFetcher, type RawFetcher } from './support/kafkajs-raw.js';
import { startEmbedded, type Embedded } from './support/embedded.js';

let broker: Embedded;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let fetcher: RawFetcher;
const run = Date.now().toString(36);
const topic = (name: string): string => `core-${name}-${run}`;

beforeAll(async () => {
  broker = await startEmbedded();
  kafka = new Kafka({ brokers: [broker.brokers], clientId: 'core-test', logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  fetcher = await rawFetcher(kafka);
});

afterAll(async () => {
  await fetcher?.close();
  await producer?.disconnect();
  await admin?.disconnect();
  await broker?.close();
});

/**
 * Apache Kafka applies topic and config changes asynchronously (KRaft metadata propagation), so
 * a read right after a change may still show the old state there; ours is synchronous. Looks
 * again for a few seconds until `ok` holds, then returns the last value for the assertion.
 */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 50 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

async function values(t: string, partition = 0, offset = 0n): Promise<string[]> {
  const [p] = await fetcher.fetch({ topic: t, partitions: [{ partition, offset }], maxWaitTime: 50 });
  return (p?.messages ?? [])
    .filter((m) => BigInt(m.offset) >= offset)
    .map((m) => m.value?.toString() ?? 'null');
}

describe('topics and metadata', () => {
  it('creates topics, lists them and describes their partitions', async () => {
    const created = await admin.createTopics({
      topics: [
        { topic: topic('a'), numPartitions: 3 },
        { topic: topic('b'), numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
      ],
    });
    expect(created, 'createTopics reported an existing topic').toBe(true);
    const names = await admin.listTopics();
    expect(names).toEqual(expect.arrayContaining([topic('a'), topic('b')]));
    const meta = await admin.fetchTopicMetadata({ topics: [topic('a')] });
    expect(meta.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    expect(meta.topics[0]?.partitions.every((p) => p.leader === 1 && p.isr.length === 1)).toBe(true);
  });

  it('refuses a topic that exists', async () => {
    await expect(admin.createTopics({ topics: [{ topic: topic('a') }], validateOnly: false })).resolves.toBe(
      false,
    );
  });

  it('creates more partitions and then deletes a topic', async () => {
    const t = topic('grow');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: t, count: 4 }] });
    const meta = await eventually(
      () => admin.fetchTopicMetadata({ topics: [t] }),
      (m) => m.topics[0]?.partitions.length === 4,
    );
    expect(meta.topics[0]?.partitions.length, 'partitions after growing').toBe(4);
    await expect(admin.createPartitions({ topicPartitions: [{ topic: t, count: 2 }] })).rejects.toThrow();
    await admin.deleteTopics({ topics: [t] });
    const names = await eventually(
      () => admin.listTopics(),
      (n) => !n.includes(t),
    );
    expect(names).not.toContain(t);
  });
});

describe('produce and fetch', () => {
  it.each([
    { name: 'acks=-1', slug: 'all', acks: -1, compression: CompressionTypes.None },
    { name: 'acks=1', slug: 'leader', acks: 1, compression: CompressionTypes.None },
    { name: 'acks=-1 gzip', slug: 'gzip', acks: -1, compression: CompressionTypes.GZIP },
  ])('$name: records come back in order', async ({ name, slug, acks, compression }) => {
    const t = topic(slug);
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] });
    const sent = Array.from({ length: 20 }, (_, i) => `${name}-${i}`);
    const meta = await producer.send({
      topic: t,
      acks,
      compression,
      messages: sent.map((value) => ({ value })),
    });
    expect(meta[0]?.baseOffset).toBe('0');
    await producer.send({ topic: t, acks, compression, messages: [{ value: 'last' }] });
    expect(await values(t)).toEqual([...sent, 'last']);
  });

  it('acks=0 gets no answer, yet the records are stored', async () => {
    const t = topic('acks0');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] });
    await producer.send({ topic: t, acks: 0, messages: [{ value: 'fire' }, { value: 'forget' }] });
    // The next request on the same connection is answered only after the acks=0 one was read.
    await producer.send({ topic: t, acks: 1, messages: [{ value: 'after' }] });
    expect(await values(t)).toEqual(['fire', 'forget', 'after']);
  });

  it('the idempotent producer gets a producer id and its batches are stored', async () => {
    const t = topic('idem');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] });
    const idem = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await idem.connect();
    for (let i = 0; i < 3; i++) await idem.send({ topic: t, messages: [{ value: `i${i}` }] });
    await idem.disconnect();
    expect(await values(t)).toEqual(['i0', 'i1', 'i2']);
  });

  it('producing to an unknown topic fails with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const p = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await p.connect();
    await expect(p.send({ topic: topic('nope'), messages: [{ value: 'x' }] })).rejects.toThrow(
      /partition|topic/i,
    );
    await p.disconnect();
  });

  it('a fetch from the middle returns the rest, keys and headers intact', async () => {
    const t = topic('keys');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] });
    await producer.send({
      topic: t,
      messages: [
        { key: 'k0', value: 'v0', headers: { h: 'x' } },
        { key: 'k1', value: 'v1', headers: { h: 'y' } },
      ],
    });
    const [p] = await fetcher.fetch({ topic: t, partitions: [{ partition: 0, offset: 1n }] });
    const m = p?.messages.find((x) => x.offset === '1');
    expect(m?.key?.toString()).toBe('k1');
    expect(p?.highWatermark).toBe('2');
  });

  it('a long-poll fetch returns once data arrives', async () => {
    const t = topic('poll');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] });
    const waiting = fetcher.fetch({
      topic: t,
      partitions: [{ partition: 0, offset: 0n }],
      maxWaitTime: 20_000,
      minBytes: 1,
    });
    await new Promise((r) => setTimeout(r, 100));
    await producer.send({ topic: t, messages: [{ value: 'woke' }] });
    const [p] = await waiting;
    expect(p?.messages.map((m) => m.value?.toString())).toEqual(['woke']);
  });
});

describe('offsets', () => {
  const t = topic('offsets');

  beforeAll(async () => {
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] });
    for (const ts of [1_000_000, 2_000_000, 3_000_000]) {
      await producer.send({ topic: t, messages: [{ value: `at-${ts}`, timestamp: String(ts) }] });
    }
  });

  it('lists earliest and latest', async () => {
    expect(await admin.fetchTopicOffsets(t)).toEqual([{ partition: 0, offset: '3', high: '3', low: '0' }]);
  });

  it('finds offsets by timestamp, and the end for a time after every record', async () => {
    expect(await admin.fetchTopicOffsetsByTimestamp(t, 2_000_000)).toEqual([{ partition: 0, offset: '1' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp(t, 1_500_000)).toEqual([{ partition: 0, offset: '1' }]);
    expect(await admin.fetchTopicOffsetsByTimestamp(t, 9_000_000)).toEqual([{ partition: 0, offset: '3' }]);
  });

  it('delete records moves the log start; reading before it is out of range', async () => {
    await admin.deleteTopicRecords({ topic: t, partitions: [{ partition: 0, offset: '2' }] });
    expect(await admin.fetchTopicOffsets(t)).toEqual([{ partition: 0, offset: '3', high: '3', low: '2' }]);
    await expect(fetcher.fetch({ topic: t, partitions: [{ partition: 0, offset: 0n }] })).rejects.toThrow(
      /not within the range/i,
    );
    expect(await values(t, 0, 2n)).toEqual(['at-3000000']);
  });
});

describe('configs', () => {
  it('describes topic configs and alters one', async () => {
    const t = topic('cfg');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 1 }] });
    const before = await admin.describeConfigs({
      resources: [{ type: 2, name: t, configNames: ['retention.ms'] }],
      includeSynonyms: false,
    });
    expect(before.resources[0]?.configEntries[0]).toMatchObject({
      configName: 'retention.ms',
      isDefault: true,
    });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: 2, name: t, configEntries: [{ name: 'retention.ms', value: '60000' }] }],
    });
    const after = await eventually(
      () =>
        admin.describeConfigs({
          resources: [{ type: 2, name: t, configNames: ['retention.ms'] }],
          includeSynonyms: false,
        }),
      (r) => r.resources[0]?.configEntries[0]?.configValue === '60000',
    );
    expect(after.resources[0]?.configEntries[0]).toMatchObject({
      configName: 'retention.ms',
      configValue: '60000',
      isDefault: false,
    });
  });

  it('answers broker configs read-only', async () => {
    const res = await admin.describeConfigs({ resources: [{ type: 4, name: '1' }], includeSynonyms: false });
    const entries = res.resources[0]?.configEntries ?? [];
    expect(entries.find((e) => e.configName === 'auto.create.topics.enable')).toMatchObject({
      configValue: 'true',
      readOnly: true,
    });
  });
});

describe('consumer group', () => {
  it('a kafkajs consumer in a group reads every record of a two-partition topic', async () => {
    const t = topic('group');
    await admin.createTopics({ topics: [{ topic: t, numPartitions: 2 }] });
    const sent = Array.from({ length: 10 }, (_, i) => `g${i}`);
    await producer.send({ topic: t, messages: sent.map((value, i) => ({ value, partition: i % 2 })) });
    const consumer = kafka.consumer({ groupId: `core-group-${run}` });
    await consumer.connect();
    await consumer.subscribe({ topic: t, fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            got.push(message.value?.toString() ?? '');
            if (got.length === sent.length) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(got.sort()).toEqual([...sent].sort());
  });
});
