import { describe, expect, it } from 'vitest';
import { Decoder, ProtocolError } from '../../../../src/lib/broker/protocol/decoder.js';
import { Encoder } from '../../../../src/lib/broker/protocol/encoder.js';

type Case = {
  name: string;
  value: unknown;
  write: (e: Encoder, v: never) => void;
  read: (d: Decoder) => unknown;
  hex?: string;
};

const c = <T>(
  name: string,
  value: T,
  write: (e: Encoder, v: T) => void,
  read: (d: Decoder) => unknown,
  hex?: string,
): Case => ({ name, value, write: write as (e: Encoder, v: never) => void, read, hex });

const uuid = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');

const cases: Case[] = [
  c(
    'int8 -1',
    -1,
    (e, v) => e.int8(v),
    (d) => d.int8(),
    'ff',
  ),
  c(
    'int16 -2',
    -2,
    (e, v) => e.int16(v),
    (d) => d.int16(),
    'fffe',
  ),
  c(
    'int32 258',
    258,
    (e, v) => e.int32(v),
    (d) => d.int32(),
    '00000102',
  ),
  c(
    'uint32 max',
    0xffffffff,
    (e, v) => e.uint32(v),
    (d) => d.uint32(),
    'ffffffff',
  ),
  c(
    'int64 -1',
    -1n,
    (e, v) => e.int64(v),
    (d) => d.int64(),
    'ffffffffffffffff',
  ),
  c(
    'int64 max',
    2n ** 63n - 1n,
    (e, v) => e.int64(v),
    (d) => d.int64(),
  ),
  c(
    'float64',
    1.5,
    (e, v) => e.float64(v),
    (d) => d.float64(),
    '3ff8000000000000',
  ),
  c(
    'boolean true',
    true,
    (e, v) => e.boolean(v),
    (d) => d.boolean(),
    '01',
  ),
  c(
    'boolean false',
    false,
    (e, v) => e.boolean(v),
    (d) => d.boolean(),
    '00',
  ),
  c(
    'uuid',
    uuid,
    (e, v) => e.uuid(v),
    (d) => d.uuid(),
    uuid.toString('hex'),
  ),
  c(
    'unsigned varint 0',
    0,
    (e, v) => e.unsignedVarint(v),
    (d) => d.unsignedVarint(),
    '00',
  ),
  c(
    'unsigned varint 300',
    300,
    (e, v) => e.unsignedVarint(v),
    (d) => d.unsignedVarint(),
    'ac02',
  ),
  c(
    'unsigned varint max',
    0xffffffff,
    (e, v) => e.unsignedVarint(v),
    (d) => d.unsignedVarint(),
    'ffffffff0f',
  ),
  c(
    'varint -1',
    -1,
    (e, v) => e.varint(v),
    (d) => d.varint(),
    '01',
  ),
  c(
    'varint 1',
    1,
    (e, v) => e.varint(v),
    (d) => d.varint(),
    '02',
  ),
  c(
    'varint -64',
    -64,
    (e, v) => e.varint(v),
    (d) => d.varint(),
    '7f',
  ),
  c(
    'varint min',
    -(2 ** 31),
    (e, v) => e.varint(v),
    (d) => d.varint(),
    'ffffffff0f',
  ),
  c(
    'varint max',
    2 ** 31 - 1,
    (e, v) => e.varint(v),
    (d) => d.varint(),
    'feffffff0f',
  ),
  c(
    'varlong -1',
    -1n,
    (e, v) => e.varlong(v),
    (d) => d.varlong(),
    '01',
  ),
  c(
    'varlong big',
    1700000000000n,
    (e, v) => e.varlong(v),
    (d) => d.varlong(),
  ),
  c(
    'varlong min',
    -(2n ** 63n),
    (e, v) => e.varlong(v),
    (d) => d.varlong(),
    'ffffffffffffffffff01',
  ),
  c(
    'string',
    'héllo',
    (e, v) => e.string(v),
    (d) => d.string(),
    '000668c3a96c6c6f',
  ),
  c(
    'nullable string null',
    null,
    (e, v) => e.nullableString(v),
    (d) => d.nullableString(),
    'ffff',
  ),
  c(
    'compact string',
    'ab',
    (e, v) => e.compactString(v),
    (d) => d.compactString(),
    '036162',
  ),
  c(
    'compact string empty',
    '',
    (e, v) => e.compactString(v),
    (d) => d.compactString(),
    '01',
  ),
  c(
    'compact nullable null',
    null,
    (e, v) => e.compactNullableString(v),
    (d) => d.compactNullableString(),
    '00',
  ),
  c(
    'bytes',
    Buffer.from([1, 2]),
    (e, v) => e.bytes(v),
    (d) => d.bytes(),
    '000000020102',
  ),
  c(
    'nullable bytes null',
    null,
    (e, v) => e.nullableBytes(v),
    (d) => d.nullableBytes(),
    'ffffffff',
  ),
  c(
    'compact bytes',
    Buffer.from([9]),
    (e, v) => e.compactBytes(v),
    (d) => d.compactBytes(),
    '0209',
  ),
  c(
    'compact nullable bytes null',
    null,
    (e, v) => e.compactNullableBytes(v),
    (d) => d.compactNullableBytes(),
    '00',
  ),
  c(
    'array int32',
    [1, 2],
    (e, v) => e.array(v, (e2, x) => e2.int32(x)),
    (d) => d.array((d2) => d2.int32()),
    '000000020000000100000002',
  ),
  c(
    'nullable array null',
    null,
    (e, v) => e.nullableArray(v, (e2, x: number) => e2.int32(x)),
    (d) => d.nullableArray((d2) => d2.int32()),
    'ffffffff',
  ),
  c(
    'compact array of strings',
    ['a', 'b'],
    (e, v) => e.compactArray(v, (e2, x) => e2.compactString(x)),
    (d) => d.compactArray((d2) => d2.compactString()),
    '0302610262',
  ),
  c(
    'compact nullable array null',
    null,
    (e, v) => e.nullableArray(v, (e2, x: number) => e2.int8(x), true),
    (d) => d.nullableArray((d2) => d2.int8(), true),
    '00',
  ),
  c(
    'empty tagged fields',
    null,
    (e) => e.taggedFields(),
    (d) => {
      d.taggedFields();
      return null;
    },
    '00',
  ),
];

describe('wire primitives round trip', () => {
  it.each(cases)('$name', ({ value, write, read, hex }) => {
    const e = new Encoder(2); // tiny start forces several growths
    write(e, value as never);
    const buf = e.toBuffer();
    if (hex !== undefined)
      expect(buf.toString('hex'), `got bytes ${buf.toString('hex')}, want ${hex}`).toBe(hex);
    const d = new Decoder(buf);
    expect(read(d)).toEqual(value);
    expect(d.remaining(), 'decoder left bytes unread').toBe(0);
  });
});

describe('flexible-aware forms', () => {
  it.each([false, true])('compact=%s writes and reads the matching form', (compact) => {
    const e = new Encoder();
    e.string('x', compact).nullableString(null, compact).bytes(Buffer.from('yz'), compact);
    e.array([7], (e2, v) => e2.int8(v), compact).taggedFields(compact);
    const d = new Decoder(e.toBuffer());
    expect(d.string(compact)).toBe('x');
    expect(d.nullableString(compact)).toBeNull();
    expect(d.bytes(compact).toString()).toBe('yz');
    expect(d.array((d2) => d2.int8(), compact)).toEqual([7]);
    d.taggedFields(compact);
    expect(d.remaining()).toBe(0);
  });
});

describe('tagged fields', () => {
  it('reads known tags and skips unknown ones', () => {
    const e = new Encoder();
    e.taggedFieldsWith([
      { tag: 0, write: (s) => s.int32(42) },
      { tag: 5, write: (s) => s.compactString('skipped') },
    ]);
    e.int8(9);
    const d = new Decoder(e.toBuffer());
    const seen: number[] = [];
    d.taggedFields(true, (tag, sub) => {
      if (tag === 0) seen.push(sub.int32());
    });
    expect(seen).toEqual([42]);
    expect(d.int8()).toBe(9);
  });
});

describe('encoder chunks', () => {
  it('references large blobs instead of copying them, keeping order', () => {
    const big = Buffer.alloc(10_000, 7);
    const e = new Encoder(16);
    e.int32(1).raw(big).int16(2);
    const parts = e.chunks();
    expect(
      parts.some((p) => p === big),
      'large blob was copied',
    ).toBe(true);
    const all = e.toBuffer();
    expect(all.length).toBe(4 + 10_000 + 2);
    expect(e.length).toBe(all.length);
    const d = new Decoder(all);
    expect(d.int32()).toBe(1);
    expect(d.raw(10_000).equals(big)).toBe(true);
    expect(d.int16()).toBe(2);
  });
});

const bad: { name: string; hex: string; read: (d: Decoder) => unknown }[] = [
  { name: 'truncated int32', hex: '000001', read: (d) => d.int32() },
  { name: 'truncated int64', hex: '00', read: (d) => d.int64() },
  { name: 'string longer than frame', hex: '0005616263', read: (d) => d.string() },
  { name: 'negative string length', hex: 'fffe', read: (d) => d.nullableString() },
  { name: 'null non-null string', hex: 'ffff', read: (d) => d.string() },
  { name: 'negative bytes length', hex: 'fffffffe', read: (d) => d.nullableBytes() },
  { name: 'bytes beyond frame', hex: '0000000a01', read: (d) => d.bytes() },
  { name: 'array count beyond frame', hex: '7fffffff', read: (d) => d.array((d2) => d2.int8()) },
  { name: 'negative array length', hex: 'fffffff0', read: (d) => d.nullableArray((d2) => d2.int8()) },
  {
    name: 'compact array count beyond frame',
    hex: 'ffffffff0f',
    read: (d) => d.compactArray((d2) => d2.int8()),
  },
  { name: 'varint too long', hex: 'ffffffffffff', read: (d) => d.unsignedVarint() },
  { name: 'varlong too long', hex: 'ffffffffffffffffffffff', read: (d) => d.varlong() },
  { name: 'truncated varint', hex: '80', read: (d) => d.unsignedVarint() },
  { name: 'tagged field beyond frame', hex: '010005aa', read: (d) => d.taggedFields() },
  { name: 'uuid truncated', hex: '0001', read: (d) => d.uuid() },
];

describe('malformed input', () => {
  it.each(bad)('$name throws ProtocolError', ({ hex, read }) => {
    const d = new Decoder(Buffer.from(hex, 'hex'));
    expect(() => read(d)).toThrow(ProtocolError);
  });

  it('respects a window end inside a larger buffer', () => {
    const d = new Decoder(Buffer.from('0000000100000002', 'hex'), 0, 4);
    expect(d.int32()).toBe(1);
    expect(() => d.int32()).toThrow(ProtocolError);
  });
});
