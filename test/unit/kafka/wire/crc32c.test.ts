import { describe, expect, it } from 'vitest';
import { crc32c, crc32cJs, crc32cWasm } from '../../../../src/lib/kafka/wire/crc32c.js';

/** The byte-at-a-time CRC-32C over one 256-entry table built bit by bit from the polynomial. */
const TABLE = Int32Array.from({ length: 256 }, (_, b) => {
  let r = b;
  for (let k = 0; k < 8; k++) r = r & 1 ? (r >>> 1) ^ 0x82f63b78 : r >>> 1;
  return r;
});

function reference(buf: Uint8Array): number {
  let crc = ~0;
  for (const b of buf) crc = TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** A seeded xorshift32 fill, so a failing length or offset reproduces. */
function randomBytes(n: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

/** The WASM window is 64 KiB; lengths either side of one and two windows. */
const WINDOW = 65536;

// Every path, so the JS fallback keeps being tested where WASM is the default and vice versa.
const paths = [
  ['crc32c', crc32c],
  ['crc32cJs', crc32cJs],
  ['crc32cWasm', crc32cWasm ?? (() => Number.NaN)],
] as const;

describe('crc32c', () => {
  it('has WebAssembly in Node, so the WASM path is the one in use', () => {
    expect(crc32cWasm, 'got no WASM path, want one').toBeTypeOf('function');
  });

  // Check values from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
  const vectors = [
    ['"123456789"', Buffer.from('123456789'), 0xe3069283],
    ['32 zero bytes', Buffer.alloc(32), 0x8a9136aa],
    ['32 0xff bytes', Buffer.alloc(32, 0xff), 0x62a8ab43],
    ['bytes 0..31', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
    ['bytes 31..0', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
    ['empty', Buffer.alloc(0), 0],
  ] as const;
  it.each(
    paths.flatMap(([path, fn]) =>
      vectors.map(([name, input, want]) => [path, name, fn, input, want] as const),
    ),
  )('%s: %s', (_path, _name, fn, input, want) => {
    const got = fn(input);
    expect(hex(got), `got ${hex(got)}, want ${hex(want)}`).toBe(hex(want));
  });

  it('agrees with the reference on the RFC vectors', () => {
    for (const [name, input, want] of vectors) expect(hex(reference(input)), name).toBe(hex(want));
  });

  it.each(paths)(
    '%s matches the byte-at-a-time reference for every length 0..300 at every alignment',
    (_p, fn) => {
      const backing = randomBytes(320, 1);
      for (let offset = 0; offset < 8; offset++) {
        for (let length = 0; length <= 300; length++) {
          // A subarray: nonzero byteOffset into the backing ArrayBuffer.
          const view = backing.subarray(offset, offset + length);
          const got = fn(view);
          const want = reference(view);
          if (got !== want) {
            expect.fail(`offset ${offset} length ${length}: got ${hex(got)}, want ${hex(want)}`);
          }
        }
      }
    },
  );

  it.each(paths)('%s honours start and end, including unaligned ones', (_p, fn) => {
    const buf = randomBytes(400, 2);
    for (const [start, end] of [
      [0, 400],
      [1, 400],
      [3, 399],
      [5, 6],
      [7, 7],
      [13, 350],
      [250, 397],
    ] as const) {
      const got = fn(buf, start, end);
      const want = reference(buf.subarray(start, end));
      expect(hex(got), `[${start}, ${end}): got ${hex(got)}, want ${hex(want)}`).toBe(hex(want));
    }
    expect(hex(fn(Buffer.from('xx123456789yyy'), 2, 11))).toBe(hex(0xe3069283));
  });

  it.each(paths)('%s carries the CRC across 64 KiB windows, on inputs up to a few MB', (_p, fn) => {
    const backing = randomBytes(3 * 1024 * 1024 + 64, 3);
    const cases = [
      [0, WINDOW - 1],
      [0, WINDOW],
      [0, WINDOW + 1],
      [1, WINDOW + 16],
      [3, 2 * WINDOW + 3],
      [5, 2 * WINDOW + 20],
      [0, 3 * 1024 * 1024],
      [7, 3 * 1024 * 1024 + 61],
    ] as const;
    for (const [start, end] of cases) {
      const want = reference(backing.subarray(start, end));
      const got = fn(backing, start, end);
      expect(hex(got), `[${start}, ${end}): got ${hex(got)}, want ${hex(want)}`).toBe(hex(want));
      // The same bytes as a subarray with a nonzero byteOffset, read from 0 to its length.
      const view = backing.subarray(start, end);
      expect(hex(fn(view)), `subarray [${start}, ${end})`).toBe(hex(want));
    }
  });

  it.each(paths)('%s gives the same answer twice (no state left behind between calls)', (_p, fn) => {
    const a = randomBytes(WINDOW + 100, 4);
    const b = randomBytes(100, 5);
    const first = fn(a);
    fn(b);
    expect(hex(fn(a))).toBe(hex(first));
  });

  it.each(paths)('%s rejects a range outside the buffer', (_p, fn) => {
    expect(() => fn(Buffer.alloc(40), 0, 41)).toThrow(RangeError);
    expect(() => fn(Buffer.alloc(40), 30, 20)).toThrow(RangeError);
    expect(() => fn(Buffer.alloc(40), -1, 20)).toThrow(RangeError);
  });
});
