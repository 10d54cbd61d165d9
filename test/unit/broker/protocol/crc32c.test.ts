import { describe, expect, it } from 'vitest';
import { crc32c, crc32cUpdate } from '../../../../src/lib/broker/protocol/crc32c.js';

const seq = (n: number, f: (i: number) => number) => Buffer.from(Array.from({ length: n }, (_, i) => f(i)));

// Check values from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
const vectors: [string, Buffer, number][] = [
  ['empty', Buffer.alloc(0), 0x00000000],
  ['"123456789"', Buffer.from('123456789'), 0xe3069283],
  ['"a"', Buffer.from('a'), 0xc1d04330],
  ['32 zero bytes', Buffer.alloc(32), 0x8a9136aa],
  ['32 0xff bytes', Buffer.alloc(32, 0xff), 0x62a8ab43],
  ['32 incrementing bytes', seq(32, (i) => i), 0x46dd794e],
  ['32 decrementing bytes', seq(32, (i) => 31 - i), 0x113fdb5c],
];

describe('crc32c', () => {
  it.each(vectors)('%s', (_name, buf, want) => {
    const got = crc32c(buf);
    expect(got, `got 0x${got.toString(16)}, want 0x${want.toString(16)}`).toBe(want);
  });

  it('is unsigned', () => {
    expect(crc32c(Buffer.from('123456789'))).toBeGreaterThan(0x7fffffff);
  });

  it('honours start/end and matches the byte-wise form on every length and alignment', () => {
    const data = seq(100, (i) => (i * 37 + 11) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= 100; end += 7) {
        const got = crc32c(data, start, end);
        const want = crc32c(Buffer.from(data.subarray(start, end)));
        expect(got, `range ${start}..${end}`).toBe(want);
        expect(got, `range ${start}..${end} vs reference`).toBe(reference(data.subarray(start, end)));
      }
    }
  });

  it('continues over pieces', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    const whole = crc32c(data);
    expect(crc32cUpdate(crc32c(data, 0, 10), data, 10)).toBe(whole);
    expect(whole).toBe(0x22620404);
  });

  it('rejects a range outside the buffer', () => {
    expect(() => crc32c(Buffer.alloc(4), 0, 5)).toThrow(RangeError);
    expect(() => crc32c(Buffer.alloc(4), 3, 2)).toThrow(RangeError);
  });
});

/** Bit-at-a-time CRC-32C: slow, obviously right. */
function reference(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
