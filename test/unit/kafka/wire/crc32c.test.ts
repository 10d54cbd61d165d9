import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../src/lib/kafka/wire/crc32c.js';

/** The textbook bit-at-a-time CRC-32C, the reference the table-driven version must match. */
function reference(buf: Uint8Array): number {
  let crc = ~0;
  for (const b of buf) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

describe('crc32c', () => {
  // Check values from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
  it.each([
    ['"123456789"', Buffer.from('123456789'), 0xe3069283],
    ['32 zero bytes', Buffer.alloc(32), 0x8a9136aa],
    ['32 0xff bytes', Buffer.alloc(32, 0xff), 0x62a8ab43],
    ['bytes 0..31', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
    ['bytes 31..0', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
    ['empty', Buffer.alloc(0), 0],
  ])('%s', (_name, input, want) => {
    const got = crc32c(input);
    expect(hex(got), `got ${hex(got)}, want ${hex(want)}`).toBe(hex(want));
  });

  it('matches the bitwise reference at every alignment and length', () => {
    const backing = Buffer.alloc(300);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 167 + 13) & 0xff;
    for (let offset = 0; offset < 9; offset++) {
      for (const length of [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 200]) {
        const view = backing.subarray(offset, offset + length);
        const got = crc32c(view);
        const want = reference(view);
        expect(hex(got), `offset ${offset} length ${length}: got ${hex(got)}, want ${hex(want)}`).toBe(
          hex(want),
        );
      }
    }
  });

  it('honours start and end within a buffer', () => {
    const buf = Buffer.from('xx123456789yyy');
    expect(hex(crc32c(buf, 2, 11))).toBe(hex(0xe3069283));
  });
});
