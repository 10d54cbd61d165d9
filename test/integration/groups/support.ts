import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { KafkaSession } from '../../../src/lib/kafka/client.js';
import type { Target } from '../../../src/lib/kafka/target.js';
import { brokers, javaPartitioner, kafka } from '../../helpers/kafka.js';

/** Shared set-up for the group suites: one client, admin and producer per file. */
export interface Fixture {
  client: Kafka;
  admin: Admin;
  producer: Producer;
  consumers: Consumer[];
}

export async function openFixture(clientId: string): Promise<Fixture> {
  const client = kafka(clientId);
  const admin = client.admin();
  await admin.connect();
  const producer = client.producer({ createPartitioner: javaPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  return { client, admin, producer, consumers: [] };
}

export async function closeFixture(f: Fixture | undefined): Promise<void> {
  if (!f) return;
  for (const c of f.consumers) await c.disconnect().catch(() => undefined);
  await f.producer.disconnect();
  await f.admin.disconnect();
}

export function session(clientId: string): Promise<KafkaSession> {
  const list = brokers().split(',');
  const target: Target = { source: 'flag', brokers: list, clientId, describe: list.join(',') };
  return KafkaSession.open(target, { connectTimeoutMs: 10_000 });
}

/**
 * Base time of the records: a whole second an hour ago. Recent, because time-based retention
 * (7 days by default) deletes older records; in the past, so every record is older than now.
 */
export const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

/** Timestamp of record i of partition p: partitions are staggered by 300 ms. */
export const stamp = (p: number, i: number): number => T0 + i * 1000 + p * 300;

/** A topic with `perPartition` records per partition, value "p<p>-<i>", at stamp(p, i). */
export async function seededTopic(
  f: Fixture,
  topic: string,
  partitions = 3,
  perPartition = 10,
): Promise<void> {
  await f.admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  for (let p = 0; p < partitions; p++) {
    await f.producer.send({
      topic,
      messages: Array.from({ length: perPartition }, (_, i) => ({
        partition: p,
        value: `p${p}-${i}`,
        timestamp: String(stamp(p, i)),
      })),
    });
  }
}

/** Committed offsets as kafkajs's admin reads them: partition → offset (-1 = none). */
export async function committed(f: Fixture, groupId: string, topic: string): Promise<number[]> {
  const [t] = await f.admin.fetchOffsets({ groupId, topics: [topic] });
  return (t?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
}

export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  ms = 40_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Member {
  consumer: Consumer;
  /** "p<p>-<i>" values received, in arrival order. */
  got: string[];
  /** Partitions of the latest assignment. */
  assigned: number[];
}

/** A real kafkajs consumer in the group, reading the topic from its committed offsets. */
export async function startMember(
  f: Fixture,
  groupId: string,
  topic: string,
  opts: { fromBeginning?: boolean; clientId?: string } = {},
): Promise<Member> {
  const client = opts.clientId ? kafka(opts.clientId) : f.client;
  const consumer = client.consumer({
    groupId,
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 100,
  });
  f.consumers.push(consumer);
  const m: Member = { consumer, got: [], assigned: [] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    m.assigned = [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: opts.fromBeginning ?? true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      m.got.push(message.value?.toString() ?? 'null');
    },
  });
  return m;
}

export async function stopMember(f: Fixture, m: Member): Promise<void> {
  await m.consumer.disconnect();
  f.consumers.splice(f.consumers.indexOf(m.consumer), 1);
}
