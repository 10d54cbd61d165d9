import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeFetchResponse } from '../../../../src/lib/kafka/wire/fetch-codec.js';
import { fetchRecords } from '../../../../src/lib/kafka/wire/fetch-request.js';
import type { KjsBroker } from '../../../../src/lib/kafka/wire/kafkajs-bridge.js';
import { encodeRecordBatch } from '../../../../src/lib/kafka/wire/record-batch-encoder.js';
import { Encoder, kjsFetchResponse, kjsRecord, kjsRecordBatch } from './kafkajs-codecs.js';

const NOW = 1_764_000_000_000;

interface PartitionSpec {
  partition: number;
  errorCode?: number;
  highWatermark: number;
  aborted?: [number, number][];
  records: Buffer;
}

/** A Fetch response body as a broker writes it, versions 4-11. */
function fetchResponse(version: number, topics: [string, PartitionSpec[]][]): Buffer {
  const e = new Encoder().writeInt32(0);
  if (version >= 7) e.writeInt16(0).writeInt32(0);
  e.writeInt32(topics.length);
  for (const [topic, parts] of topics) {
    e.writeString(topic).writeInt32(parts.length);
    for (const p of parts) {
      e.writeInt32(p.partition)
        .writeInt16(p.errorCode ?? 0)
        .writeInt64(p.highWatermark)
        .writeInt64(p.highWatermark);
      if (version >= 5) e.writeInt64(0);
      const aborted = p.aborted ?? [];
      e.writeInt32(aborted.length);
      for (const [pid, first] of aborted) e.writeInt64(pid).writeInt64(first);
      if (version >= 11) e.writeInt32(-1);
      e.writeBytes(p.records);
    }
  }
  return e.buffer;
}

async function kjsBatch(baseOffset: number, values: string[], compression = 0): Promise<Buffer> {
  const batch = await kjsRecordBatch({
    compression,
    records: values.map((value, i) =>
      kjsRecord({ key: `k${i}`, value, headers: { h: [value, 'x'] }, offsetDelta: i, timestampDelta: i }),
    ),
    firstTimestamp: NOW,
    maxTimestamp: NOW + values.length,
    lastOffsetDelta: values.length - 1,
  });
  const buf = batch.buffer;
  buf.writeUInt32BE(baseOffset, 4);
  return buf;
}

async function ourBatch(baseOffset: number, values: string[], compression: 'none' | 'gzip' = 'none') {
  const buf = await encodeRecordBatch(
    values.map((v, i) => ({ key: null, value: Buffer.from(v), headers: {}, timestamp: NOW - i })),
    { compression },
  );
  buf.writeUInt32BE(baseOffset, 4);
  return buf;
}

interface KjsPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  messages: {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: object;
  }[];
}

describe('Fetch response', () => {
  it.each([4, 5, 6, 7, 8, 9, 10, 11])('v%i decodes as kafkajs decodes it', async (version) => {
    const body = fetchResponse(version, [
      [
        'orders',
        [
          {
            partition: 0,
            highWatermark: 20,
            aborted: [[5, 3]],
            records: Buffer.concat([await kjsBatch(0, ['a', 'b']), await kjsBatch(2, ['c'], 1)]),
          },
          { partition: 2, highWatermark: 4, records: await ourBatch(1, ['x', 'y', 'z'], 'gzip') },
          { partition: 1, errorCode: 1, highWatermark: -1, records: Buffer.alloc(0) },
        ],
      ],
      ['audit', [{ partition: 0, highWatermark: 0, records: Buffer.alloc(0) }]],
    ]);
    const ours = await decodeFetchResponse(body, version);
    const theirs = (await kjsFetchResponse(version).decode(body)) as {
      responses: { topicName: string; partitions: KjsPartition[] }[];
    };
    const want = theirs.responses.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.topicName,
        partition: p.partition,
        errorCode: p.errorCode,
        highWatermark: Number(p.highWatermark),
        records: p.messages.map((m) => ({
          topic: t.topicName,
          partition: p.partition,
          offset: Number(m.offset),
          timestamp: Number(m.timestamp),
          key: m.key,
          value: m.value,
          headers: m.headers,
        })),
      })),
    );
    expect(
      ours.partitions.map((p) => ({
        topic: p.topic,
        partition: p.partition,
        errorCode: p.errorCode,
        highWatermark: p.highWatermark,
        records: p.records,
      })),
    ).toEqual(want);
    expect(ours.partitions.map((p) => p.nextOffset)).toEqual([3, 4, null, null]);
    expect(want[0]!.records.length + want[1]!.records.length, 'the fixture has records').toBe(6);
  });

  it('fails on a truncated body', async () => {
    const body = fetchResponse(11, [
      ['t', [{ partition: 0, highWatermark: 1, records: await ourBatch(0, ['a']) }]],
    ]);
    await expect(decodeFetchResponse(body.subarray(0, 30), 11)).rejects.toThrow(/need/);
  });
});

/** A stand-in for kafkajs's Broker: its real Fetch request definitions, and a "connection" that answers with `body`. */
function fakeBroker(version: number, body: Buffer): KjsBroker & { sent: { apiVersion: number }[] } {
  const require = createRequire(import.meta.url);
  const fetch = require('kafkajs/src/protocol/requests/fetch/index.js') as {
    protocol: (v: { version: number }) => (args: object) => never;
  };
  const sent: { apiVersion: number }[] = [];
  return {
    nodeId: 1,
    versions: { 1: { minVersion: 4, maxVersion: version } },
    sent,
    lookupRequest: () => fetch.protocol({ version }),
    [Symbol('private:Broker:sendRequest')]: async (req: {
      request: { apiVersion: number };
      response: { decode(b: Buffer): Promise<unknown>; parse(d: unknown): Promise<unknown> };
    }) => {
      sent.push({ apiVersion: req.request.apiVersion });
      return req.response.parse(await req.response.decode(body));
    },
  } as KjsBroker & { sent: { apiVersion: number }[] };
}

const args = {
  isolationLevel: 0,
  maxWaitTime: 10,
  minBytes: 1,
  maxBytes: 1000,
  topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 1000 }] }],
};

describe('fetchRecords through a kafkajs broker', () => {
  it('sends kafkajs’s request at the negotiated version and decodes with our codec', async () => {
    const body = fetchResponse(11, [
      ['t', [{ partition: 0, highWatermark: 2, records: await ourBatch(0, ['a', 'b']) }]],
    ]);
    const broker = fakeBroker(11, body);
    const res = await fetchRecords(broker, args);
    expect(broker.sent).toEqual([{ apiVersion: 11 }]);
    expect(res.partitions[0]!.records.map((r) => r.value?.toString())).toEqual(['a', 'b']);
  });

  it('falls back to kafkajs’s decoder for a codec we do not read, and kafkajs names it', async () => {
    const batch = await ourBatch(0, ['a']);
    batch.writeInt16BE(2, 21); // snappy
    const body = fetchResponse(11, [['t', [{ partition: 0, highWatermark: 1, records: batch }]]]);
    await expect(fetchRecords(fakeBroker(11, body), args)).rejects.toThrow(
      /Snappy compression not implemented/,
    );
  });

  it('falls back to kafkajs’s decoder for versions below 4, in our shape', async () => {
    // Fetch v3: throttle, then topics with partition, error, high watermark and a message set
    // of magic-1 messages (offset, size, crc, magic, attributes, timestamp, key, value).
    const messages = new Encoder();
    for (const [offset, value] of [
      [0, 'a'],
      [1, 'b'],
    ] as const) {
      const m = new Encoder().writeInt32(0).writeInt8(1).writeInt8(0).writeInt64(NOW).writeBytes(null);
      m.writeBytes(Buffer.from(value));
      messages.writeInt64(offset).writeInt32(m.buffer.length).writeBuffer(m.buffer);
    }
    const e = new Encoder().writeInt32(0).writeInt32(1).writeString('t').writeInt32(1);
    e.writeInt32(0).writeInt16(0).writeInt64(2).writeBytes(messages.buffer);
    const res = await fetchRecords(fakeBroker(3, e.buffer), args);
    expect(res.partitions.map((p) => [p.topic, p.partition, p.nextOffset])).toEqual([['t', 0, 2]]);
    expect(res.partitions[0]!.records.map((r) => [r.offset, r.value?.toString()])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
  });
});
