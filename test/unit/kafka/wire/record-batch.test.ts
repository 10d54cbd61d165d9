import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../src/lib/kafka/wire/crc32c.js';
import { WireFormatError } from '../../../../src/lib/kafka/wire/bytes.js';
import {
  UnsupportedBatchError,
  decodeRecordBatches,
} from '../../../../src/lib/kafka/wire/record-batch-decoder.js';
import {
  type BatchRecord,
  BatchBufferPool,
  RecordBatchBuilder,
  encodeRecordBatch,
} from '../../../../src/lib/kafka/wire/record-batch-encoder.js';
import {
  Decoder,
  type KjsDecodedRecord,
  type KjsRecordInput,
  kjsDecodeRecordBatch,
  kjsRecord,
  kjsRecordBatch,
} from './kafkajs-codecs.js';

const NOW = 1_764_000_000_000;

/** Records covering every field and the varint edges (negative and > 2^31 timestamp deltas). */
const records: BatchRecord[] = [
  { key: Buffer.from('k1'), value: Buffer.from('v1'), headers: {}, timestamp: NOW },
  { key: null, value: Buffer.from([0, 0xff, 0x80]), headers: { a: Buffer.from('x') }, timestamp: NOW - 5 },
  { key: Buffer.alloc(0), value: null, headers: { rep: [Buffer.from('1'), null, Buffer.from([0xfe])] } },
  { key: Buffer.from('ü'), value: Buffer.alloc(0), headers: { '': Buffer.from('empty name') }, timestamp: 1 },
  {
    key: null,
    value: Buffer.alloc(300, 7),
    headers: { __proto__: Buffer.from('p') } as never,
    timestamp: NOW + 2 ** 40,
  },
  { key: Buffer.alloc(200, 1), value: Buffer.from('big key'), headers: { h: null }, timestamp: NOW + 3 },
];

/** What kafkajs decodes for the records above (base offset 100). */
function expected(baseOffset: number) {
  return records.map((r, i) => ({
    offset: String(baseOffset + i),
    timestamp: String(r.timestamp ?? NOW),
    key: r.key === null ? null : Buffer.from(r.key),
    value: r.value === null ? null : Buffer.from(r.value),
    headers: r.headers,
  }));
}

function pick(r: KjsDecodedRecord) {
  return { offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers };
}

/** Header objects with a "__proto__" key compare by own enumerable keys. */
function plainHeaders(h: object): [string, unknown][] {
  return Object.keys(h).map((k) => [k, (h as Record<string, unknown>)[k]]);
}

async function ourBatch(compression: 'none' | 'gzip', baseOffset = 100): Promise<Buffer> {
  const batch = await encodeRecordBatch(records, { compression, now: NOW });
  batch.writeInt32BE(0, 0);
  batch.writeUInt32BE(baseOffset, 4); // what the broker does: rewrite baseOffset, CRC untouched
  return batch;
}

describe('record batch encoder, read by kafkajs', () => {
  it.each(['none', 'gzip'] as const)('kafkajs decodes every field (compression %s)', async (compression) => {
    const batch = await kjsDecodeRecordBatch(new Decoder(await ourBatch(compression)));
    expect({
      firstOffset: batch.firstOffset,
      firstTimestamp: batch.firstTimestamp,
      maxTimestamp: batch.maxTimestamp,
      lastOffsetDelta: batch.lastOffsetDelta,
      partitionLeaderEpoch: batch.partitionLeaderEpoch,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      firstSequence: batch.firstSequence,
      inTransaction: batch.inTransaction,
      isControlBatch: batch.isControlBatch,
    }).toEqual({
      firstOffset: '100',
      firstTimestamp: String(NOW),
      maxTimestamp: String(NOW + 2 ** 40),
      lastOffsetDelta: records.length - 1,
      partitionLeaderEpoch: -1,
      producerId: '-1',
      producerEpoch: -1,
      firstSequence: -1,
      inTransaction: false,
      isControlBatch: false,
    });
    const got = batch.records.map(pick);
    const want = expected(100);
    // kafkajs builds headers with a reduce over `{}`, which turns "__proto__" into a prototype;
    // compare that record's other fields and leave its headers to our own decoder's test.
    expect(got.map((r, i) => (i === 4 ? { ...r, headers: {} } : r))).toEqual(
      want.map((r, i) => (i === 4 ? { ...r, headers: {} } : r)),
    );
  });

  it('writes a CRC-32C over attributes..end that matches the bytes', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      const batch = await ourBatch(compression);
      const stored = batch.readUInt32BE(17);
      const computed = crc32c(batch, 21);
      expect(computed, `${compression}: got stored ${stored}, computed ${computed}`).toBe(stored);
      expect(batch.readInt32BE(8), 'batchLength').toBe(batch.length - 12);
      expect(batch[16], 'magic').toBe(2);
      expect(batch.readInt16BE(21) & 7, 'codec').toBe(compression === 'gzip' ? 1 : 0);
    }
  });

  it('refuses an empty batch', async () => {
    await expect(encodeRecordBatch([], { compression: 'none' })).rejects.toThrow(RangeError);
  });
});

describe('record batch builder', () => {
  it('appendSlice writes the record append writes for the same bytes', async () => {
    const src = Buffer.from('..hello..world\n');
    const a = new RecordBatchBuilder();
    const b = new RecordBatchBuilder();
    const headers = { h: Buffer.from('x') };
    a.append({ key: null, value: Buffer.from('hello'), headers }, NOW);
    a.append({ key: Buffer.from('k'), value: Buffer.from('world'), headers }, NOW);
    b.appendSlice(null, src, 2, 7, headers, NOW);
    b.appendSlice(Buffer.from('k'), src, 9, 14, headers, NOW);
    expect((await b.finish('none')).toString('hex')).toBe((await a.finish('none')).toString('hex'));
  });

  it('takes a released buffer from its pool, and leaves nothing of the old batch in the new one', async () => {
    const pool = new BatchBufferPool();
    const first = new RecordBatchBuilder(4096, pool);
    for (let i = 0; i < 50; i++) first.append({ key: null, value: Buffer.alloc(60, i), headers: {} }, NOW);
    const old = first.finishUncompressed();
    first.release();
    const second = new RecordBatchBuilder(1024, pool);
    second.append({ key: Buffer.from('k'), value: Buffer.from('only'), headers: {} }, NOW + 1);
    const batch = second.finishUncompressed();
    expect(batch.buffer, 'the same memory').toBe(old.buffer);
    const decoded = await kjsDecodeRecordBatch(new Decoder(batch));
    expect(decoded.records.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([['k', 'only']]);
    expect(crc32c(batch, 21)).toBe(batch.readUInt32BE(17));
    // A buffer too small for what is asked is passed over.
    second.release();
    expect(pool.take(1 << 20).length).toBe(1 << 20);
  });

  it('a builder that outgrows its buffer gives the old one back and keeps every record', async () => {
    const pool = new BatchBufferPool();
    const b = new RecordBatchBuilder(128, pool);
    for (let i = 0; i < 100; i++) b.append({ key: null, value: Buffer.from(`value ${i}`), headers: {} }, NOW);
    const decoded = await kjsDecodeRecordBatch(new Decoder(b.finishUncompressed()));
    expect(decoded.records.map((r) => r.value?.toString())).toEqual(
      Array.from({ length: 100 }, (_, i) => `value ${i}`),
    );
    expect(pool.take(100).length).toBeGreaterThanOrEqual(128);
  });
});

describe('record batch decoder', () => {
  it.each(['none', 'gzip'] as const)(
    'decodes our own batches whole (compression %s)',
    async (compression) => {
      const buf = await ourBatch(compression, 100);
      const { records: got, nextOffset } = await decodeRecordBatches(buf, 0, buf.length, 't', 3);
      expect(nextOffset).toBe(100 + records.length);
      expect(got.map((r) => ({ ...r, headers: plainHeaders(r.headers) }))).toEqual(
        records.map((r, i) => ({
          topic: 't',
          partition: 3,
          offset: 100 + i,
          timestamp: r.timestamp ?? NOW,
          key: r.key,
          value: r.value,
          headers: plainHeaders(r.headers),
        })),
      );
      expect(Object.getPrototypeOf(got[4]!.headers), 'a "__proto__" header stays data').toBe(
        Object.prototype,
      );
    },
  );

  it.each([
    ['none', 0],
    ['gzip', 1],
  ] as const)('reads what kafkajs encodes (compression %s)', async (_name, compression) => {
    const input: KjsRecordInput[] = [
      { key: 'a', value: 'one', headers: { x: '1' }, offsetDelta: 0, timestampDelta: 0 },
      {
        key: null,
        value: Buffer.from([0xff, 0]),
        headers: { r: ['1', '2'] },
        offsetDelta: 1,
        timestampDelta: 7,
      },
      { key: Buffer.from('c'), value: null, offsetDelta: 2, timestampDelta: -3 },
    ];
    const batch = await kjsRecordBatch({
      compression,
      records: input.map((r) => kjsRecord(r)),
      firstTimestamp: NOW,
      maxTimestamp: NOW + 7,
      lastOffsetDelta: 2,
    });
    const buf = batch.buffer;
    const kjs = await kjsDecodeRecordBatch(new Decoder(buf));
    const ours = await decodeRecordBatches(buf, 0, buf.length, 't', 0);
    expect(
      ours.records.map((r) => ({ ...r, offset: String(r.offset), timestamp: String(r.timestamp) })),
    ).toEqual(kjs.records.map((r) => ({ topic: 't', partition: 0, ...pick(r) })));
    expect(ours.records.map((r) => r.timestamp)).toEqual([NOW, NOW + 7, NOW - 3]);
  });

  it('reads several batches, skips control batches but moves past them, and stops at a partial batch', async () => {
    const a = await ourBatch('none', 0);
    const control = await ourBatch('none', records.length);
    control.writeInt16BE(control.readInt16BE(21) | 0x30, 21); // transactional + control
    const c = await ourBatch('gzip', 2 * records.length);
    const partial = (await ourBatch('none', 3 * records.length)).subarray(0, 40);
    const buf = Buffer.concat([a, control, c, partial]);
    const { records: got, nextOffset } = await decodeRecordBatches(buf, 0, buf.length, 't', 0);
    const n = records.length;
    expect(got.map((r) => r.offset)).toEqual([
      ...Array.from({ length: n }, (_, i) => i),
      ...Array.from({ length: n }, (_, i) => 2 * n + i),
    ]);
    expect(nextOffset, 'the offset after the last whole batch').toBe(3 * n);
  });

  it('gives every record the max timestamp of a log-append-time batch', async () => {
    const buf = await ourBatch('none', 0);
    buf.writeInt16BE(buf.readInt16BE(21) | 0x08, 21);
    buf.writeUInt32BE(0, 35);
    buf.writeUInt32BE(123456, 39);
    const { records: got } = await decodeRecordBatches(buf, 0, buf.length, 't', 0);
    expect(new Set(got.map((r) => r.timestamp))).toEqual(new Set([123456]));
  });

  it.each([
    ['snappy', 2, /snappy/],
    ['lz4', 3, /lz4/],
    ['zstd', 4, /zstd/],
  ])('hands %s batches back as unsupported', async (_name, codec, message) => {
    const buf = await ourBatch('none', 0);
    buf.writeInt16BE(codec, 21);
    await expect(decodeRecordBatches(buf, 0, buf.length, 't', 0)).rejects.toThrow(UnsupportedBatchError);
    await expect(decodeRecordBatches(buf, 0, buf.length, 't', 0)).rejects.toThrow(message);
  });

  it('hands pre-0.11 message sets back as unsupported', async () => {
    const buf = await ourBatch('none', 0);
    buf[16] = 1;
    await expect(decodeRecordBatches(buf, 0, buf.length, 't', 0)).rejects.toThrow(UnsupportedBatchError);
  });

  it('rejects a record whose length runs past its batch', async () => {
    const buf = await ourBatch('none', 0);
    buf[61] = 0x7e; // first record's length varint: 63 bytes more than it has
    buf[62] = 0x7e;
    await expect(decodeRecordBatches(buf, 0, 61 + 20 + 12, 't', 0)).resolves.toEqual({
      records: [],
      nextOffset: null,
    });
    await expect(decodeRecordBatches(buf, 0, buf.length, 't', 0)).rejects.toThrow(WireFormatError);
  });

  it('decodes a gzip block made by another compressor', async () => {
    const plain = await encodeRecordBatch(records, { compression: 'none', now: NOW });
    const block = gzipSync(plain.subarray(61), { level: 1 });
    const buf = Buffer.concat([plain.subarray(0, 61), block]);
    buf.writeInt32BE(buf.length - 12, 8);
    buf.writeInt16BE(1, 21);
    const { records: got } = await decodeRecordBatches(buf, 0, buf.length, 't', 0);
    expect(got.map((r) => r.value)).toEqual(records.map((r) => r.value));
  });
});
