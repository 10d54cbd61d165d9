import { describe, expect, it } from 'vitest';
import {
  decodePayload,
  encodePayload,
  fromJsonl,
  JsonlFormatError,
  type RecordData,
  toJsonl,
  toJsonlObject,
} from '../../../src/lib/records/jsonl.js';

const bin = (...bytes: number[]) => Buffer.from(bytes);
const txt = (s: string) => Buffer.from(s, 'utf8');

/** Records compared as plain data (Buffers as hex) so a failure shows got/want readably. */
function plain(r: RecordData): unknown {
  const b = (x: Buffer | null | undefined) =>
    x === null || x === undefined ? x : `hex:${x.toString('hex')}`;
  const headers: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    headers[k] = Array.isArray(v) ? v.map((x: Buffer | null) => b(x)) : b(v as Buffer | null);
  }
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: b(r.key),
    value: b(r.value),
    headers,
  };
}

describe('jsonl round trip (toJsonl → fromJsonl gives the same record)', () => {
  const cases: [string, RecordData][] = [
    ['utf-8 key and value', { key: txt('user-1'), value: txt('{"a":1}'), headers: {} }],
    ['null key', { key: null, value: txt('v'), headers: {} }],
    ['tombstone (null value)', { key: txt('k'), value: null, headers: {} }],
    ['both null', { key: null, value: null, headers: {} }],
    ['empty key and value (not null)', { key: txt(''), value: txt(''), headers: {} }],
    ['invalid utf-8 value', { key: txt('k'), value: bin(0xff, 0xfe, 0x00, 0x80), headers: {} }],
    ['invalid utf-8 key', { key: bin(0xc3, 0x28), value: txt('x'), headers: {} }],
    ['lone surrogate bytes', { key: null, value: bin(0xed, 0xa0, 0x80), headers: {} }],
    ['multi-byte utf-8', { key: txt('ключ'), value: txt('日本語 🎉'), headers: {} }],
    ['newlines and quotes', { key: null, value: txt('line1\nline2\t"q"\\'), headers: {} }],
    ['control bytes that are valid utf-8', { key: null, value: bin(0x00, 0x01, 0x1b), headers: {} }],
    ['header text', { key: null, value: txt('v'), headers: { ce_type: txt('order.placed') } }],
    ['header binary', { key: null, value: txt('v'), headers: { raw: bin(0x00, 0xff, 0x10) } }],
    ['header null value', { key: null, value: txt('v'), headers: { empty: null } }],
    ['header empty value', { key: null, value: txt('v'), headers: { e: txt('') } }],
    [
      'repeated header name (array, in order)',
      { key: null, value: txt('v'), headers: { h: [txt('1'), bin(0xff), null, txt('2')] } },
    ],
    [
      'all metadata',
      {
        topic: 'orders',
        partition: 2,
        offset: 9_007_199_254_740_991,
        timestamp: 1_764_211_200_000,
        key: txt('k'),
        value: txt('v'),
        headers: { a: txt('1'), b: [txt('x'), txt('y')] },
      },
    ],
    ['negative timestamp (-1: none)', { timestamp: -1, key: null, value: txt('v'), headers: {} }],
  ];

  it.each(cases)('%s', (_name, record) => {
    const line = toJsonl(record);
    expect(line.includes('\n'), `got a newline inside the line ${JSON.stringify(line)}, want one line`).toBe(
      false,
    );
    const back = fromJsonl(line, 1);
    expect(plain(back), `round trip of ${line}`).toEqual(plain(record));
  });
});

describe('payload encoding', () => {
  it.each<[string, Buffer | null, unknown]>([
    ['utf-8 → string', txt('héllo'), 'héllo'],
    ['empty → empty string', txt(''), ''],
    ['null → null', null, null],
    ['invalid utf-8 → base64 object', bin(0xff, 0x00), { base64: '/wA=' }],
    ['truncated multi-byte → base64 object', bin(0xe2, 0x82), { base64: '4oI=' }],
  ])('%s', (_name, buf, want) => {
    expect(encodePayload(buf)).toEqual(want);
  });

  it.each<[string, unknown, string | null]>([
    ['string', 'abc', '616263'],
    ['null', null, null],
    ['absent', undefined, null],
    ['base64 object', { base64: 'AAH/' }, '0001ff'],
  ])('decodes %s', (_name, payload, wantHex) => {
    const got = decodePayload(payload, 'test');
    expect(got === null ? null : got.toString('hex')).toBe(wantHex);
  });

  it('writes the documented shape: binary marked as {"base64": ...}, repeated headers as arrays', () => {
    const obj = toJsonlObject({
      topic: 't',
      partition: 0,
      offset: 5,
      timestamp: 10,
      key: null,
      value: bin(0xff),
      headers: { h: [txt('a'), txt('b')], bin: bin(0x80) },
    });
    expect(obj).toEqual({
      topic: 't',
      partition: 0,
      offset: 5,
      timestamp: 10,
      key: null,
      value: { base64: '/w==' },
      headers: { h: ['a', 'b'], bin: { base64: 'gA==' } },
    });
  });
});

describe('fromJsonl input', () => {
  it('accepts a minimal line (no topic/partition/offset/timestamp/headers)', () => {
    const r = fromJsonl('{"key":null,"value":"x"}', 1);
    expect(plain(r)).toEqual(plain({ key: null, value: txt('x'), headers: {} }));
  });

  it('accepts integers written as strings (kafkajs offsets/timestamps are strings)', () => {
    const r = fromJsonl(
      '{"partition":"1","offset":"42","timestamp":"1764211200000","key":"k","value":"v"}',
      1,
    );
    expect([r.partition, r.offset, r.timestamp]).toEqual([1, 42, 1_764_211_200_000]);
  });

  it('treats null headers as none', () => {
    expect(fromJsonl('{"key":"k","value":"v","headers":null}').headers).toEqual({});
  });

  it.each<[string, string, RegExp]>([
    ['not JSON', '{"key":', /line 7: not valid JSON/],
    ['a JSON array', '[1,2]', /line 7: expected a JSON object/],
    ['a JSON string', '"abc"', /line 7: expected a JSON object/],
    ['JSON null', 'null', /line 7: expected a JSON object/],
    ['value is a number', '{"key":null,"value":42}', /line 7: value must be a string, null or \{"base64"/],
    ['key is an object without base64', '{"key":{"b64":"AA=="},"value":"v"}', /line 7: key must be/],
    ['base64 not a string', '{"key":null,"value":{"base64":1}}', /line 7: value must be/],
    ['headers is an array', '{"key":null,"value":"v","headers":[["a","b"]]}', /headers must be an object/],
    ['headers is a string', '{"key":null,"value":"v","headers":"a=b"}', /headers must be an object/],
    ['header value is a number', '{"key":null,"value":"v","headers":{"a":1}}', /header a must be/],
    ['header array holds a number', '{"key":null,"value":"v","headers":{"a":["x",2]}}', /header a must be/],
    ['partition is a float', '{"partition":1.5,"key":null,"value":"v"}', /partition must be an integer/],
    ['partition is text', '{"partition":"one","key":null,"value":"v"}', /partition must be an integer/],
    ['offset is boolean', '{"offset":true,"key":null,"value":"v"}', /offset must be an integer/],
    ['timestamp unsafe', '{"timestamp":1e300,"key":null,"value":"v"}', /timestamp must be an integer/],
    ['topic is a number', '{"topic":5,"key":null,"value":"v"}', /topic must be a string/],
  ])('rejects %s', (_name, line, want) => {
    let got: unknown;
    try {
      fromJsonl(line, 7);
    } catch (err) {
      got = err;
    }
    expect(got, `got no error for ${line}, want JsonlFormatError`).toBeInstanceOf(JsonlFormatError);
    expect((got as Error).message).toMatch(want);
  });
});
