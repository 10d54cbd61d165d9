// Consumer groups with real kafkajs 2.2.4 consumers against the embedded broker (or Apache Kafka
// when the run targets it): the queue shape (one group splits the partitions), the pub/sub shape
// (every group gets every record), hand-over when a member leaves, offsets that survive a broker
// restart, admin offset changes, and describe/list/delete of groups.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBroker } from '../../../src/lib/broker/main.js';
import { startEmbedded, type Embedded } from './support/embedded.js';

let broker: Embedded;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const consumers: Consumer[] = [];
const run = Date.now().toString(36);
const name = (what: string): string => `grp-${what}-${run}`;

beforeAll(async () => {
  broker = await startEmbedded();
  kafka = client(broker.brokers);
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  for (const c of consumers) await c.disconnect().catch(() => undefined);
  await producer?.disconnect();
  await admin?.disconnect();
  await broker?.close();
});

function client(brokers: string): Kafka {
  return new Kafka({ brokers: [brokers], clientId: 'groups-test', logLevel: logLevel.NOTHING });
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 40_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Member {
  consumer: Consumer;
  /** "partition:value" of every record received. */
  got: string[];
  /** Partitions of the latest assignment. */
  assigned: number[];
  joins: number;
}

async function member(k: Kafka, groupId: string, topic: string): Promise<Member> {
  const consumer = k.consumer({
    groupId,
    sessionTimeout: 10_000,
    rebalanceTimeout: 10_000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 100,
  });
  consumers.push(consumer);
  const m: Member = { consumer, got: [], assigned: [], joins: 0 };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    m.joins += 1;
    m.assigned = [...(e.payload.memberAssignment[topic] ?? [])].sort();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      m.got.push(`${partition}:${message.value?.toString()}`);
    },
  });
  return m;
}

async function createTopic(topic: string, numPartitions: number): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
}

async function produce(topic: string, partitions: number, count: number, tag = 'v'): Promise<string[]> {
  const messages = Array.from({ length: count }, (_, i) => ({
    partition: i % partitions,
    value: `${tag}${i}`,
  }));
  await producer.send({ topic, messages });
  return messages.map((m) => `${m.partition}:${m.value}`);
}

const sorted = (xs: string[]): string[] => [...xs].sort();

describe('kafkajs consumer groups', () => {
  it('queue: two consumers in one group split the partitions, every record once', async () => {
    const topic = name('queue');
    const groupId = name('queue-g');
    await createTopic(topic, 4);
    const a = await member(kafka, groupId, topic);
    await waitFor('A assigned', () => a.assigned.length === 4);
    const b = await member(kafka, groupId, topic);
    await waitFor('A and B share the partitions', () => a.assigned.length === 2 && b.assigned.length === 2);
    expect(sorted([...a.assigned, ...b.assigned].map(String))).toEqual(['0', '1', '2', '3']);
    const sent = await produce(topic, 4, 40);
    await waitFor('all records consumed', () => a.got.length + b.got.length >= 40);
    expect(sorted([...a.got, ...b.got]), 'union of both consumers').toEqual(sorted(sent));
    const partitionsOf = (m: Member): Set<number> => new Set(m.got.map((g) => Number(g.split(':')[0])));
    expect(
      [...partitionsOf(a)].every((p) => a.assigned.includes(p)),
      'A read a partition it was not given',
    ).toBe(true);
    expect(
      [...partitionsOf(b)].every((p) => b.assigned.includes(p)),
      'B read a partition it was not given',
    ).toBe(true);
  });

  it('pub/sub: two groups on one topic each receive every record', async () => {
    const topic = name('pubsub');
    await createTopic(topic, 2);
    const x = await member(kafka, name('pubsub-x'), topic);
    const y = await member(kafka, name('pubsub-y'), topic);
    await waitFor('both groups assigned', () => x.assigned.length === 2 && y.assigned.length === 2);
    const sent = await produce(topic, 2, 20);
    await waitFor('both groups got everything', () => x.got.length >= 20 && y.got.length >= 20);
    expect(sorted(x.got)).toEqual(sorted(sent));
    expect(sorted(y.got)).toEqual(sorted(sent));
  });

  it('a consumer leaving triggers a rebalance and the other takes over its partitions', async () => {
    const topic = name('leave');
    const groupId = name('leave-g');
    await createTopic(topic, 2);
    const a = await member(kafka, groupId, topic);
    await waitFor('A assigned', () => a.assigned.length === 2);
    const b = await member(kafka, groupId, topic);
    await waitFor('split', () => a.assigned.length === 1 && b.assigned.length === 1);
    const first = await produce(topic, 2, 10, 'first');
    await waitFor('first batch consumed', () => a.got.length + b.got.length >= 10);
    const joinsBefore = a.joins;
    await b.consumer.disconnect(); // sends LeaveGroup
    await waitFor('A owns both partitions again', () => a.joins > joinsBefore && a.assigned.length === 2);
    const second = await produce(topic, 2, 10, 'second');
    await waitFor('A consumed the second batch', () => second.every((s) => a.got.includes(s)));
    expect(sorted([...a.got, ...b.got].filter((g) => g.includes('first')))).toEqual(sorted(first));
  });

  it('admin: describeGroups, listGroups, fetchOffsets, setOffsets, resetOffsets and deleteGroups', async () => {
    const topic = name('admin');
    const groupId = name('admin-g');
    await createTopic(topic, 2);
    const m = await member(kafka, groupId, topic);
    await waitFor('assigned', () => m.assigned.length === 2);
    await produce(topic, 2, 10);
    await waitFor('consumed', () => m.got.length >= 10);

    const described = await admin.describeGroups([groupId, name('nobody')]);
    const g = described.groups[0];
    expect(g).toMatchObject({
      groupId,
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
    });
    expect(g?.members).toHaveLength(1);
    expect(g?.members[0]?.clientId).toBe('groups-test');
    expect(g?.members[0]?.memberAssignment.length, 'assignment bytes').toBeGreaterThan(0);
    expect(described.groups[1]?.state).toBe('Dead');
    const listed = await admin.listGroups();
    expect(listed.groups).toContainEqual({ groupId, protocolType: 'consumer' });

    // A running group cannot be deleted, nor can kafkajs move its offsets.
    await expect(admin.deleteGroups([groupId])).rejects.toThrow();
    await expect(
      admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '1' }] }),
    ).rejects.toThrow(/no running instances/);

    await m.consumer.disconnect();
    await waitFor(
      'group empty',
      async () => (await admin.describeGroups([groupId])).groups[0]?.state === 'Empty',
    );
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0]?.partitions.map((p) => p.offset).sort()).toEqual(['5', '5']);

    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '2' }] });
    const afterSet = await admin.fetchOffsets({ groupId, topics: [topic] });
    const p0 = afterSet[0]?.partitions.find((p) => p.partition === 0);
    expect(p0?.offset, `got ${p0?.offset} for partition 0 after setOffsets, want 2`).toBe('2');

    await admin.resetOffsets({ groupId, topic, earliest: true });
    const afterReset = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(afterReset[0]?.partitions.map((p) => p.offset)).toEqual(['-2', '-2']);

    const res = await admin.deleteGroups([groupId]);
    expect(res[0]).toMatchObject({ groupId, errorCode: 0 });
    const gone = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(gone[0]?.partitions.map((p) => p.offset)).toEqual(['-1', '-1']);
    await expect(admin.deleteGroups([name('never-was')])).rejects.toThrow();
  });
});

describe.skipIf(inject('target') === 'kafka')('embedded broker restart', () => {
  it('committed offsets survive a restart; the group resumes where it stopped', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'eb-groups-restart-'));
    try {
      const topic = name('restart');
      const groupId = name('restart-g');
      let b = await startBroker({ port: 0, dataDir });
      let k = client(`127.0.0.1:${b.port}`);
      const p = k.producer();
      await p.connect();
      await p.send({ topic, messages: Array.from({ length: 6 }, (_, i) => ({ value: `before${i}` })) });
      await p.disconnect();
      const m1 = await member(k, groupId, topic);
      await waitFor('consumed before restart', () => m1.got.length >= 6);
      await m1.consumer.disconnect(); // commits, then leaves
      await b.close();

      b = await startBroker({ port: 0, dataDir });
      k = client(`127.0.0.1:${b.port}`);
      const adm = k.admin();
      await adm.connect();
      const offsets = await adm.fetchOffsets({ groupId, topics: [topic] });
      expect(offsets[0]?.partitions[0]?.offset, 'committed offset after restart').toBe('6');
      const groups = (await adm.listGroups()).groups.map((g) => g.groupId);
      expect(groups).toContain(groupId);
      await adm.disconnect();
      const p2 = k.producer();
      await p2.connect();
      await p2.send({ topic, messages: [{ value: 'after0' }] });
      await p2.disconnect();
      const m2 = await member(k, groupId, topic);
      await waitFor('consumed after restart', () => m2.got.length >= 1);
      expect(m2.got, 'the restarted group re-read old records').toEqual(['0:after0']);
      await m2.consumer.disconnect();
      await b.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
