// Committed offsets follow the topics they belong to, on our broker as on Apache Kafka: a commit
// for a partition the topic does not have is refused, and deleting a topic drops its offsets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitOffsetsAsAdmin } from '../../../src/lib/groups/admin-commit.js';
import { KafkaSession } from '../../../src/lib/kafka/client.js';
import { brokers, kafka, uniqueName } from '../../helpers/kafka.js';

describe('committed offsets and topics', () => {
  let session: KafkaSession;
  beforeAll(async () => {
    session = await KafkaSession.open(
      { source: 'flag', brokers: brokers().split(','), clientId: 'offsets-topics', describe: brokers() },
      { connectTimeoutMs: 10_000 },
    );
  });
  afterAll(async () => session.close());

  it('refuses an admin commit for a partition the topic does not have', async () => {
    const topic = uniqueName('two-parts');
    const group = uniqueName('g');
    const admin = await session.admin();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const err = await commitOffsetsAsAdmin(session, group, [{ topic, partition: 7, offset: 0 }]).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(
      err,
      'got a successful commit for partition 7 of a 2-partition topic, want a refusal',
    ).toBeDefined();
    const fetched = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const seven = fetched[0]?.partitions.find((p) => p.partition === 7);
    expect(seven, `got a stored offset ${JSON.stringify(seven)} for partition 7, want none`).toBeUndefined();
  });

  it('drops the committed offsets of a deleted topic', async () => {
    const topic = uniqueName('doomed');
    const group = uniqueName('g');
    const admin = await session.admin();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();
    await commitOffsetsAsAdmin(session, group, [{ topic, partition: 0, offset: 2 }]);
    await admin.deleteTopics({ topics: [topic] });
    // Kafka removes the offsets when the topic deletion completes; allow it a moment.
    let offset = '2';
    for (let i = 0; i < 50 && offset !== '-1'; i++) {
      await admin
        .createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })
        .catch(() => false);
      const fetched = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      offset = fetched[0]?.partitions[0]?.offset ?? '-1';
      if (offset !== '-1') await new Promise((r) => setTimeout(r, 200));
    }
    expect(offset, `got committed offset ${offset} after deleting and recreating the topic, want -1`).toBe(
      '-1',
    );
  });
});
