/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of a magic-2 record batch
 * (KIP-98). Computed for every batch we produce, so it uses slicing-by-8: eight lookup tables fold
 * eight input bytes per step instead of one, and the bytes are read as two 32-bit words through an
 * aligned Int32Array view rather than one at a time. This client-side copy is separate from the
 * broker's on purpose: src/lib/broker stands alone and the client must not import it.
 */

const POLY = 0x82f63b78;

/** T[k * 256 + b] is the CRC register after byte b followed by k zero bytes. */
const T = makeTable();

/** Word reads assume little-endian byte order; elsewhere we stay byte by byte. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function makeTable(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let r = b;
    for (let bit = 0; bit < 8; bit++) r = r & 1 ? (r >>> 1) ^ POLY : r >>> 1;
    t[b] = r;
  }
  for (let k = 1; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const r = t[(k - 1) * 256 + b]!;
      t[k * 256 + b] = (r >>> 8) ^ t[r & 0xff]!;
    }
  }
  return t;
}

/** CRC-32C of bytes [start, end) of buf, as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = ~0;
  let i = start;
  // Byte by byte up to a 4-byte boundary of the underlying memory, so the word view is aligned.
  while (i < end && ((buf.byteOffset + i) & 3) !== 0) crc = T[(crc ^ buf[i++]!) & 0xff]! ^ (crc >>> 8);
  const steps = LITTLE_ENDIAN ? (end - i) >>> 3 : 0;
  if (steps > 0) {
    const w = new Int32Array(buf.buffer, buf.byteOffset + i, steps * 2);
    for (let j = 0; j < w.length; j += 2) {
      const lo = crc ^ w[j]!;
      const hi = w[j + 1]!;
      crc =
        T[1792 + (lo & 0xff)]! ^
        T[1536 + ((lo >>> 8) & 0xff)]! ^
        T[1280 + ((lo >>> 16) & 0xff)]! ^
        T[1024 + (lo >>> 24)]! ^
        T[768 + (hi & 0xff)]! ^
        T[512 + ((hi >>> 8) & 0xff)]! ^
        T[256 + ((hi >>> 16) & 0xff)]! ^
        T[hi >>> 24]!;
    }
    i += steps * 8;
  }
  while (i < end) crc = T[(crc ^ buf[i++]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
