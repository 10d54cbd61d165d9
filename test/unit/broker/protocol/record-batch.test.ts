import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTES,
  BATCH_LENGTH,
  CRC,
  MAGIC,
  RecordBatchError,
  buildRecordBatch,
  decodeRecords,
  readBatchHeader,
  scanRecordTimes,
  setBaseOffset,
  splitBatches,
  verifyCrc,
  type BuildBatchOptions,
} from '../../../../src/lib/broker/protocol/record-batch.js';

const require = createRequire(import.meta.url);

function faultOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RecordBatchError) return err.fault;
    throw err;
  }
  return 'no error';
}

const roundTrips: [string, BuildBatchOptions][] = [
  ['one record, null key', { baseOffset: 0n, timestamp: 1_700_000_000_000, records: [{ value: 'v' }] }],
  [
    'keys, headers, null value, deltas',
    {
      baseOffset: 42n,
      timestamp: 1_700_000_000_000n,
      records: [
        { key: 'k1', value: 'hello', headers: [{ key: 'h', value: 'x' }], timestampDelta: 0 },
        {
          key: Buffer.from([0, 1, 2]),
          value: null,
          headers: [{ key: 'n', value: null }],
          timestampDelta: 300,
        },
        { key: '', value: '', timestampDelta: -5 },
      ],
    },
  ],
  [
    'gzip, idempotent producer',
    {
      baseOffset: 7n,
      timestamp: 5,
      compression: 'gzip',
      producerId: 1234n,
      producerEpoch: 3,
      baseSequence: 10,
      records: Array.from({ length: 50 }, (_, i) => ({
        key: `k${i}`,
        value: 'x'.repeat(i),
        timestampDelta: i,
      })),
    },
  ],
  ['large varints', { timestamp: 0, records: [{ value: Buffer.alloc(70_000, 1), timestampDelta: 2 ** 40 }] }],
];

describe('buildRecordBatch / decodeRecords', () => {
  it.each(roundTrips)('round-trips %s', (_name, o) => {
    const b = buildRecordBatch(o);
    const h = readBatchHeader(b, 0);
    const base = BigInt(o.timestamp!);
    const maxDelta = Math.max(0, ...o.records.map((r) => r.timestampDelta ?? 0));
    expect(h).toMatchObject({
      baseOffset: o.baseOffset ?? 0n,
      batchLength: b.length - 12,
      magic: 2,
      lastOffsetDelta: o.records.length - 1,
      recordsCount: o.records.length,
      baseTimestamp: base,
      maxTimestamp: base + BigInt(maxDelta),
      producerId: o.producerId ?? -1n,
      producerEpoch: o.producerEpoch ?? -1,
      baseSequence: o.baseSequence ?? -1,
    });
    expect(verifyCrc({ buf: b, pos: 0, size: b.length })).toBe(true);
    const got = decodeRecords(b);
    const want = o.records.map((r, i) => ({
      offset: (o.baseOffset ?? 0n) + BigInt(i),
      timestamp: base + BigInt(r.timestampDelta ?? 0),
      key: r.key === undefined || r.key === null ? null : Buffer.from(r.key),
      value: r.value === null ? null : Buffer.from(r.value),
      headers: (r.headers ?? []).map((x) => ({
        key: x.key,
        value: x.value === null ? null : Buffer.from(x.value),
      })),
    }));
    expect(got).toEqual(want);
  });

  it.each(roundTrips)('scanRecordTimes agrees with decodeRecords: %s', (_name, o) => {
    const b = buildRecordBatch(o);
    const seen: [number, number][] = [];
    scanRecordTimes(b, 0, (offset, ts) => {
      seen.push([offset, ts]);
      return false;
    });
    expect(seen).toEqual(decodeRecords(b).map((r) => [Number(r.offset), Number(r.timestamp)]));
    let calls = 0;
    scanRecordTimes(b, 0, () => ++calls === 1);
    expect(calls, 'stops when the visitor returns true').toBe(1);
  });

  it('gives every record the batch maxTimestamp under LogAppendTime', () => {
    const b = buildRecordBatch({
      timestamp: 100,
      logAppendTime: true,
      records: [{ value: 'a', timestampDelta: 9 }, { value: 'b' }],
    });
    expect(decodeRecords(b).map((r) => r.timestamp)).toEqual([109n, 109n]);
  });

  it('decodes a batch built by kafkajs 2.2.4 and agrees on its CRC', async () => {
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
      RecordBatch: (o: object) => Promise<{ buffer: Buffer }>;
    };
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (o: object) => unknown;
    const records = [
      Record({
        offsetDelta: 0,
        timestampDelta: 0,
        key: Buffer.from('a'),
        value: Buffer.from('one'),
        headers: { h: 'v' },
      }),
      Record({ offsetDelta: 1, timestampDelta: 25, key: null, value: Buffer.from('two') }),
    ];
    const enc = await RecordBatch({ firstTimestamp: 1000, maxTimestamp: 1025, lastOffsetDelta: 1, records });
    const b = enc.buffer;
    const [view] = splitBatches(b);
    expect(view).toEqual({ buf: b, pos: 0, size: b.length });
    expect(verifyCrc(view!)).toBe(true);
    expect(decodeRecords(b)).toEqual([
      {
        offset: 0n,
        timestamp: 1000n,
        key: Buffer.from('a'),
        value: Buffer.from('one'),
        headers: [{ key: 'h', value: Buffer.from('v') }],
      },
      { offset: 1n, timestamp: 1025n, key: null, value: Buffer.from('two'), headers: [] },
    ]);
    // Our encoder writes the same bytes for the same batch (kafkajs uses epoch 0 / seq 0 defaults).
    const ours = buildRecordBatch({
      timestamp: 1000,
      producerEpoch: 0,
      baseSequence: 0,
      partitionLeaderEpoch: 0,
      records: [
        { key: 'a', value: 'one', headers: [{ key: 'h', value: 'v' }] },
        { value: 'two', timestampDelta: 25 },
      ],
    });
    expect(ours.toString('hex')).toBe(b.toString('hex'));
  });

  it('rejects snappy/lz4/zstd with a typed error', () => {
    const b = buildRecordBatch({ timestamp: 0, records: [{ value: 'x' }] });
    b.writeInt16BE(2, ATTRIBUTES);
    expect(faultOf(() => decodeRecords(b))).toBe('unsupported-compression');
  });

  it('rejects a record that overruns its batch', () => {
    const b = buildRecordBatch({ timestamp: 0, records: [{ value: 'xyz' }] });
    b[61] = 100; // record length varint (zig-zag 50) larger than the rest of the batch
    expect(faultOf(() => decodeRecords(b))).toBe('bad-records');
  });
});

describe('splitBatches', () => {
  const a = buildRecordBatch({ baseOffset: 0n, timestamp: 1, records: [{ value: 'a' }, { value: 'b' }] });
  const b = buildRecordBatch({ baseOffset: 2n, timestamp: 2, records: [{ value: 'c' }] });
  const both = Buffer.concat([a, b]);

  it('walks back-to-back batches', () => {
    expect(splitBatches(both).map((v) => [v.pos, v.size])).toEqual([
      [0, a.length],
      [a.length, b.length],
    ]);
  });

  const withLength = (n: number) => {
    const c = Buffer.from(a);
    c.writeInt32BE(n, BATCH_LENGTH);
    return c;
  };
  const withMagic = (m: number) => {
    const c = Buffer.from(a);
    c[MAGIC] = m;
    return c;
  };
  const cases: [string, Buffer, string][] = [
    ['empty buffer', Buffer.alloc(0), 'truncated'],
    ['shorter than the length field', a.subarray(0, 10), 'truncated'],
    ['truncated tail batch', both.subarray(0, both.length - 1), 'truncated'],
    ['negative length', withLength(-1), 'bad-length'],
    ['length below the header', withLength(48), 'bad-length'],
    ['length past the buffer', withLength(a.length), 'truncated'],
    ['magic 1', withMagic(1), 'bad-magic'],
    ['magic 3', withMagic(3), 'bad-magic'],
  ];
  it.each(cases)('rejects %s', (_n, buf, fault) => {
    expect(faultOf(() => splitBatches(buf))).toBe(fault);
  });

  it('rejects a batch above maxBatchBytes', () => {
    expect(faultOf(() => splitBatches(a, a.length - 1))).toBe('bad-length');
    expect(splitBatches(a, a.length)).toHaveLength(1);
  });
});

describe('verifyCrc / setBaseOffset', () => {
  it('detects a flipped byte anywhere after the crc field', () => {
    const b = buildRecordBatch({ timestamp: 1, records: [{ key: 'k', value: 'value' }] });
    for (let i = ATTRIBUTES; i < b.length; i++) {
      const c = Buffer.from(b);
      c[i] = c[i]! ^ 0x40;
      expect(verifyCrc({ buf: c, pos: 0, size: c.length }), `byte ${i} flipped`).toBe(false);
    }
    const c = Buffer.from(b);
    c[CRC] = c[CRC]! ^ 1;
    expect(verifyCrc({ buf: c, pos: 0, size: c.length })).toBe(false);
  });

  it('rewrites the base offset without breaking the crc', () => {
    const b = Buffer.concat([Buffer.alloc(5), buildRecordBatch({ timestamp: 1, records: [{ value: 'x' }] })]);
    setBaseOffset(b, 5, 123456789012n);
    expect(readBatchHeader(b, 5).baseOffset).toBe(123456789012n);
    expect(verifyCrc({ buf: b, pos: 5, size: b.length - 5 })).toBe(true);
    expect(decodeRecords(b, 5)[0]!.offset).toBe(123456789012n);
  });
});
