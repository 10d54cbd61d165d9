// Framing faults close only the connection that sent them; other clients keep working, and
// pipelined requests are answered in order.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decoder } from '../../../src/lib/broker/protocol/decoder.js';
import { decodeProduceRequest } from '../../../src/lib/broker/protocol/messages/00-produce.js';
import { buildRecordBatch } from '../../../src/lib/broker/protocol/record-batch.js';
import { correlationIdOf, rawConnect, request } from '../../unit/broker/support/raw-client.js';
import { startTestBroker, type TestBroker } from '../../unit/broker/support/test-broker.js';

let broker: TestBroker;
let admin: Admin;

beforeAll(async () => {
  broker = await startTestBroker({ maxFrameBytes: 1024 * 1024 });
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${broker.port}`],
    logLevel: logLevel.NOTHING,
    clientId: 'framing',
  });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'framing-t', numPartitions: 1 }] });
});

afterAll(async () => {
  await admin?.disconnect();
  await broker?.close();
});

function sizePrefix(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
}

const badFrames: { name: string; bytes: Buffer; end?: boolean }[] = [
  { name: 'negative length', bytes: sizePrefix(-5) },
  { name: 'oversized length', bytes: sizePrefix(200 * 1024 * 1024) },
  {
    name: 'truncated frame then EOF',
    bytes: Buffer.concat([sizePrefix(100), Buffer.alloc(10, 1)]),
    end: true,
  },
  { name: 'garbage body', bytes: Buffer.concat([sizePrefix(6), Buffer.from('ffffffffffff', 'hex')]) },
  { name: 'empty frame', bytes: sizePrefix(0) },
  { name: 'unknown api key', bytes: request(999, 0, 1) },
  { name: 'unsupported Metadata version', bytes: request(3, 99, 1) },
  { name: 'header with lying client id length', bytes: Buffer.from('0000000a0003000100000001ff00', 'hex') },
  {
    name: 'Metadata body truncated inside a topic name',
    bytes: request(3, 1, 1, (e) => e.int32(1).int16(50).int8(65)),
  },
];

describe('bad frames close only their own connection', () => {
  it.each(badFrames)('$name', async ({ bytes, end }) => {
    const c = await rawConnect(broker.port);
    c.send(bytes);
    if (end) c.socket.end();
    await c.closed;
    expect(c.socket.destroyed, 'connection still open').toBe(true);
    const topics = await admin.listTopics();
    expect(topics, `got topics ${topics.join(',')}, want framing-t among them`).toContain('framing-t');
  });
});

describe('protocol behaviour on one connection', () => {
  it('answers an unknown ApiVersions version with UNSUPPORTED_VERSION in a v0 body', async () => {
    const c = await rawConnect(broker.port);
    c.send(request(18, 99, 42));
    const [frame] = await c.frames(1);
    const d = new Decoder(frame as Buffer);
    expect(d.int32()).toBe(42);
    expect(d.int16(), 'error code').toBe(35);
    const keys = d.array((x) => ({ apiKey: x.int16(), min: x.int16(), max: x.int16() }));
    // Apache Kafka 4.4 answers the same shape: only its ApiVersions range.
    expect(keys).toEqual([{ apiKey: 18, min: 0, max: 4 }]);
    expect(d.remaining(), 'v0 body has nothing after the array').toBe(0);
    c.socket.destroy();
  });

  it('answers pipelined requests in order, even behind a long-polling fetch', async () => {
    const c = await rawConnect(broker.port);
    const fetchV11 = request(1, 11, 1, (e) => {
      e.int32(-1)
        .int32(300)
        .int32(1)
        .int32(1024 * 1024)
        .int8(0)
        .int32(0)
        .int32(-1);
      e.array(['framing-t'], (e2, t) => {
        e2.string(t).array(
          [0],
          (e3, p) =>
            void e3
              .int32(p)
              .int32(-1)
              .int64(0n)
              .int64(-1n)
              .int32(1 << 20),
        );
      });
      e.array([], () => undefined).string('');
    });
    c.send(
      Buffer.concat([
        fetchV11,
        request(18, 0, 2),
        request(3, 1, 3, (e) => e.int32(0)),
        request(18, 3, 4, (e) => e.compactString('raw').compactString('1').taggedFields(), true),
      ]),
    );
    const frames = await c.frames(4);
    expect(frames.map(correlationIdOf)).toEqual([1, 2, 3, 4]);
    c.socket.destroy();
  });

  const produceAcks0 = (topic: string, correlationId: number): Buffer =>
    request(0, 3, correlationId, (e) => {
      e.nullableString(null).int16(0).int32(1000);
      const batch = buildRecordBatch({ records: [{ value: 'fire and forget' }] });
      e.array([topic], (e2, t) => e2.string(t).array([0], (e3, p) => void e3.int32(p).nullableBytes(batch)));
    });

  it('sends nothing back for Produce with acks=0 but keeps answering what follows', async () => {
    const c = await rawConnect(broker.port);
    const produce = produceAcks0('framing-t', 7);
    // Sanity: our own request builder writes what the codec reads.
    expect(decodeProduceRequest(new Decoder(produce, 4 + 8 + 5), 3).acks).toBe(0);
    c.send(Buffer.concat([produce, request(18, 0, 8)]));
    const [frame] = await c.frames(1);
    expect(correlationIdOf(frame as Buffer), 'first answer belongs to the ApiVersions request').toBe(8);
    expect(broker.log.logEndOffset('framing-t', 0), 'the acks=0 batch was not stored').toBe(1n);
    c.socket.destroy();
  });

  it('closes the connection when a Produce with acks=0 fails, as Kafka does', async () => {
    const c = await rawConnect(broker.port);
    c.send(produceAcks0('no-such-topic', 9));
    await c.closed;
    expect(c.socket.destroyed).toBe(true);
  });
});
