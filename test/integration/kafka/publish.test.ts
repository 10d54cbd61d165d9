import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import {
  type GeneratedRecord,
  generateRecords,
  partitionForKey,
  resolveOptions,
} from '../../../src/lib/events/index.js';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { PartitionReader } from '../../../src/lib/kafka/partition-reader.js';
import { produceRecords } from '../../../src/lib/kafka/produce.js';
import { publishEvents } from '../../../src/lib/kafka/publish.js';
import { toJsonl } from '../../../src/lib/records/jsonl.js';
import { kafka, openSession, runCli, uniqueName } from '../../helpers/kafka.js';

/**
 * What publish sends is the generated stream, byte for byte, and each partition holds its
 * records in generation order (so every key's events are in order), however the records were cut
 * into requests and however many requests were in flight.
 */

/*
 * Two hours ago, on a whole minute. Not a fixed date: records older than the topic's retention
 * (7 days by default) are deleted by the broker's next retention check, on Kafka and on ours,
 * and a check that ran mid-test removed records from under the read-back (a flaky "missing
 * records" / OFFSET_OUT_OF_RANGE). Not later either: Kafka refuses timestamps an hour ahead.
 */
const START = Math.floor((Date.now() - 2 * 3600_000) / 60_000) * 60_000;
const FAULTS = { duplicates: 0.02, outOfOrder: 0.02, late: 0.02 };

let client: Kafka;
let admin: ReturnType<Kafka['admin']>;
let session: KafkaSession;

/** Each record as a line (key, value, headers, timestamp; no offset), per topic and partition. */
async function readAll(topics: string[]): Promise<Map<string, string[]>> {
  const reader = await PartitionReader.open(session, topics);
  const bounds = await reader.bounds(topics);
  const assignments = topics.flatMap((topic) =>
    reader.partitions(topic).map((partition) => {
      const b = bounds.get(`${topic}\u0000${partition}`)!;
      return { topic, partition, from: b.start, until: b.end };
    }),
  );
  const out = new Map<string, string[]>();
  for await (const batch of reader.read(assignments, { maxWaitMs: 100 })) {
    for (const r of batch) {
      const k = `${r.topic}:${r.partition}`;
      const line = toJsonl({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp });
      out.set(k, [...(out.get(k) ?? []), line]);
    }
  }
  return out;
}

/** The generated records, grouped as the default partitioner places them, in generation order. */
function expected(records: readonly GeneratedRecord[], partitions: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    const k = `${r.topic}:${partitionForKey(r.key, partitions)}`;
    const line = toJsonl({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp });
    out.set(k, [...(out.get(k) ?? []), line]);
  }
  return out;
}

function compare(got: Map<string, string[]>, want: Map<string, string[]>): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, lines] of want) {
    const have = got.get(k) ?? [];
    expect(have.length, `${k}: got ${have.length} records, want ${lines.length}`).toBe(lines.length);
    const first = lines.findIndex((l, i) => have[i] !== l);
    expect(first, `${k}: first record that differs, got index ${first}, want -1`).toBe(-1);
  }
}

beforeAll(async () => {
  client = kafka('eb-publish-test');
  admin = client.admin();
  await admin.connect();
  session = await openSession('eb-publish-test');
});

afterAll(async () => {
  await session?.close();
  await admin?.disconnect();
});

describe('publish sends the generated stream unchanged and in order', () => {
  it('publishEvents: every partition holds its records byte for byte, in generation order', async () => {
    const topic = uniqueName('pub-stream');
    const opts = resolveOptions({
      domains: ['all'],
      seed: 'publish-order',
      count: 20_000,
      startTime: START,
      faults: FAULTS,
      topic,
    });
    const res = await publishEvents(session, opts, { acks: -1 });
    expect(res.summary.records).toBe(20_000);
    const generated = [...generateRecords({ ...opts, domains: [...opts.domains], topic })];
    compare(await readAll([topic]), expected(generated, res.topics[0]!.partitions));
  });

  it('many small requests over five topics, several in flight: still in order per partition', async () => {
    const prefix = uniqueName('pub-many');
    const generated = [
      ...generateRecords({ domains: ['all'], seed: 'many', count: 15_000, startTime: START, faults: FAULTS }),
    ].map((r) => ({ ...r, topic: prefix + r.topic }));
    const topics = [...new Set(generated.map((r) => r.topic))];
    expect(topics.length).toBe(5);
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: 3 })),
      waitForLeaders: true,
    });
    const s = await produceRecords(session, generated, {
      topic: topics[0]!,
      useRecordTopic: true,
      acks: -1,
      compression: 'none',
      batchSize: 300,
    });
    expect(s.count).toBe(15_000);
    compare(await readAll(topics), expected(generated, 3));
  });

  it('the command (bin/run.js: generation and encoding in a worker thread) sends the same stream', async () => {
    const topic = uniqueName('pub-cli');
    const start = new Date(START).toISOString();
    const r = await runCli([
      'publish',
      'all',
      '--count',
      '30000',
      '--seed',
      'cli-order',
      '--start-time',
      start,
      '--rate',
      'max',
      '--late',
      '0.02',
      '--duplicates',
      '0.02',
      '--topic',
      topic,
      '--json',
    ]);
    expect(r.code, `got exit ${r.code}, want 0; stderr: ${r.stderr}`).toBe(0);
    const res = JSON.parse(r.stdout) as { summary: { records: number } };
    expect(res.summary.records).toBe(30_000);
    const generated = [
      ...generateRecords({
        domains: ['all'],
        seed: 'cli-order',
        count: 30_000,
        startTime: Date.parse(start),
        faults: { duplicates: 0.02, late: 0.02 },
        topic,
      }),
    ];
    compare(await readAll([topic]), expected(generated, 3));
  });
});

describe('publish --start-time further back than retention', () => {
  const DAY = 86_400_000;
  const retentionOf = async (topic: string) =>
    (
      await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2, name: topic, configNames: ['retention.ms'] }], // 2: TOPIC
      })
    ).resources[0]!.configEntries[0]!.configValue;
  const publish = (topic: string, startTime: number, extra: string[] = []) =>
    runCli([
      'publish',
      'checkout',
      '--count',
      '300',
      '--seed',
      'retention',
      '--start-time',
      new Date(startTime).toISOString(),
      '--topic',
      topic,
      '--json',
      ...extra,
    ]);

  it('a topic publish creates gets a retention.ms that keeps the oldest event a week more', async () => {
    const topic = uniqueName('pub-old');
    const start = Date.now() - 30 * DAY;
    const r = await publish(topic, start);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as {
      topics: { topic: string; retention?: { ms: number; raised: boolean } }[];
    };
    const ms = res.topics[0]!.retention?.ms ?? 0;
    expect(res.topics[0]!.retention?.raised).toBe(true);
    expect(ms % DAY, 'whole days').toBe(0);
    expect(ms).toBeGreaterThanOrEqual(37 * DAY);
    expect(ms).toBeLessThanOrEqual(38 * DAY);
    expect(await retentionOf(topic)).toBe(String(ms));
    expect(r.stderr).toContain(`${topic}: retention.ms set to ${ms}`);
  });

  it('an existing topic keeps its retention, with a warning naming it; a recent stream changes nothing', async () => {
    const topic = uniqueName('pub-short');
    await admin.createTopics({
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(DAY) }] }],
      waitForLeaders: true,
    });
    const r = await publish(topic, Date.now() - 3 * DAY);
    expect(r.code, r.stderr).toBe(0);
    expect(await retentionOf(topic)).toBe(String(DAY));
    expect(r.stderr).toMatch(new RegExp(`warning: ${topic} keeps records 1 day \\(retention.ms=${DAY}\\)`));
    const res = JSON.parse(r.stdout) as { topics: { retention?: { ms: number; raised: boolean } }[] };
    expect(res.topics[0]!.retention).toEqual({ ms: DAY, raised: false });

    const fresh = uniqueName('pub-fresh');
    const r2 = await publish(fresh, Date.now() - 10 * 60_000);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).not.toContain('retention');
    expect(
      (JSON.parse(r2.stdout) as { topics: { retention?: unknown }[] }).topics[0]!.retention,
    ).toBeUndefined();
    const control = uniqueName('pub-control');
    await admin.createTopics({ topics: [{ topic: control, numPartitions: 1 }], waitForLeaders: true });
    expect(await retentionOf(fresh), "the broker's default, untouched").toBe(await retentionOf(control));
  });
});
