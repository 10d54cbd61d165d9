import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { PartitionReader } from '../../../src/lib/kafka/partition-reader.js';
import { produceRecords } from '../../../src/lib/kafka/produce.js';
import { RecordBatchBuilder } from '../../../src/lib/kafka/wire/record-batch-encoder.js';
import type { RecordData } from '../../../src/lib/records/jsonl.js';
import { kafka, openSession, uniqueName } from '../../helpers/kafka.js';

/*
 * With acks=all, produce is an idempotent producer with up to five requests per topic in flight.
 * Small requests make many of them overlap; every partition must still hold its records once
 * each, in the order they were produced (so each key's records are in order).
 */
let session: KafkaSession;
const admin = kafka().admin();

beforeAll(async () => {
  session = await openSession('eb-idem-test');
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await session.close();
});

function* records(n: number): Generator<RecordData> {
  for (let i = 0; i < n; i++)
    yield { key: Buffer.from(`key-${i % 37}`), value: Buffer.from(String(i)), headers: {} };
}

async function readBack(topic: string): Promise<Map<number, number[]>> {
  const reader = await PartitionReader.open(session, [topic]);
  const bounds = await reader.bounds([topic]);
  const out = new Map<number, number[]>();
  const assignments = reader.partitions(topic).map((partition) => {
    const b = bounds.get(`${topic}\u0000${partition}`)!;
    return { topic, partition, from: b.start, until: b.end };
  });
  for await (const batch of reader.read(assignments, { maxWaitMs: 100 }))
    for (const r of batch)
      out.set(r.partition, [...(out.get(r.partition) ?? []), Number(r.value!.toString())]);
  return out;
}

describe('idempotent produce (acks=all)', () => {
  for (const compression of ['none', 'gzip'] as const) {
    it(`many requests in flight per topic (${compression}): each record once, in order per partition`, async () => {
      const topic = uniqueName('idem');
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      const n = 12_000;
      const summary = await produceRecords(session, records(n), {
        topic,
        acks: -1,
        compression,
        batchSize: 150,
      });
      expect(summary.count).toBe(n);
      const got = await readBack(topic);
      const all = [...got.values()].flat();
      expect(all.length, 'every record once').toBe(n);
      expect(new Set(all).size).toBe(n);
      for (const [partition, values] of got) {
        const sorted = [...values].sort((a, b) => a - b);
        expect(values, `partition ${partition} in production order`).toEqual(sorted);
        const s = summary.partitions.find((p) => p.partition === partition)!;
        expect(s.count).toBe(values.length);
      }
    });
  }
});

describe('record batch producer fields', () => {
  it('carries the producer id, epoch and base sequence it is given, and -1 without', async () => {
    const b1 = new RecordBatchBuilder();
    b1.append({ key: null, value: Buffer.from('x'), headers: {} }, 1);
    const idem = await b1.finish('none', { producerId: 4242, producerEpoch: 3, baseSequence: 77 });
    expect([idem.readBigInt64BE(43), idem.readInt16BE(51), idem.readInt32BE(53)]).toEqual([4242n, 3, 77]);
    const b2 = new RecordBatchBuilder();
    b2.append({ key: null, value: Buffer.from('x'), headers: {} }, 1);
    const plain = await b2.finish('gzip');
    expect([plain.readBigInt64BE(43), plain.readInt16BE(51), plain.readInt32BE(53)]).toEqual([-1n, -1, -1]);
  });
});
