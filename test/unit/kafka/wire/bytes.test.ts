import { describe, expect, it } from 'vitest';
import {
  Reader,
  WireFormatError,
  readInt64,
  varintSize,
  varlongSize,
  writeInt64,
  writeVarint,
  writeVarlong,
} from '../../../../src/lib/kafka/wire/bytes.js';
import { Decoder, Encoder } from './kafkajs-codecs.js';

const ints = [0, 1, -1, 63, -64, 64, -65, 8191, -8192, 8192, 2 ** 20, -(2 ** 20), 2 ** 31 - 1, -(2 ** 31)];
const longs = [
  ...ints,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 40 + 3,
  -(2 ** 40) - 3,
  1_764_000_000_000,
  2 ** 52 - 1,
  -(2 ** 52),
];

describe('zig-zag varints', () => {
  it.each(ints)('varint %i: same bytes as kafkajs, and back', (n) => {
    const buf = Buffer.alloc(10);
    const end = writeVarint(buf, 0, n);
    const want = new Encoder().writeVarInt(n).buffer;
    expect(buf.subarray(0, end).toString('hex')).toBe(want.toString('hex'));
    expect(varintSize(n)).toBe(want.length);
    const r = new Reader(buf, 0, end);
    expect(r.varint()).toBe(n);
    expect(r.pos).toBe(end);
  });

  it.each(longs)('varlong %i: same bytes as kafkajs, and back', (n) => {
    const buf = Buffer.alloc(10);
    const end = writeVarlong(buf, 0, n);
    const want = new Encoder().writeVarLong(n).buffer;
    expect(buf.subarray(0, end).toString('hex')).toBe(want.toString('hex'));
    expect(varlongSize(n)).toBe(want.length);
    expect(new Reader(buf, 0, end).varlong()).toBe(n);
    expect(new Decoder(want).readVarLong().toString()).toBe(String(n));
  });

  it('fails on a varint cut short', () => {
    const buf = Buffer.from([0x80, 0x80]);
    expect(() => new Reader(buf).varint()).toThrow(WireFormatError);
    expect(() => new Reader(buf).varlong()).toThrow(WireFormatError);
    expect(() => new Reader(Buffer.alloc(0)).varint()).toThrow(WireFormatError);
  });
});

describe('int64 as numbers', () => {
  it.each(longs)('%i', (n) => {
    const buf = Buffer.alloc(8);
    writeInt64(buf, 0, n);
    expect(buf.readBigInt64BE(0)).toBe(BigInt(n));
    expect(readInt64(buf, 0)).toBe(n);
  });
});
