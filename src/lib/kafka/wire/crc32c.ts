/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of a magic-2 record batch
 * (KIP-98). Computed for every batch we produce, so it uses slicing-by-8: eight lookup tables fold
 * eight input bytes per step instead of one. This client-side copy is separate from the broker's
 * on purpose: src/lib/broker stands alone and the client must not import it.
 */

const POLY = 0x82f63b78;

/** TABLES[k][b] is the CRC register after byte b followed by k zero bytes. */
const TABLES = makeTables();
const T0 = TABLES[0]!;
const T1 = TABLES[1]!;
const T2 = TABLES[2]!;
const T3 = TABLES[3]!;
const T4 = TABLES[4]!;
const T5 = TABLES[5]!;
const T6 = TABLES[6]!;
const T7 = TABLES[7]!;

function makeTables(): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const first = tables[0]!;
  for (let b = 0; b < 256; b++) {
    let r = b;
    for (let bit = 0; bit < 8; bit++) r = r & 1 ? (r >>> 1) ^ POLY : r >>> 1;
    first[b] = r >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1]!;
    const cur = tables[k]!;
    for (let b = 0; b < 256; b++) {
      const r = prev[b]!;
      cur[b] = ((r >>> 8) ^ first[r & 0xff]!) >>> 0;
    }
  }
  return tables;
}

/** CRC-32C of bytes [start, end) of buf, as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = ~0;
  let i = start;
  const fast = end - ((end - start) & 7);
  while (i < fast) {
    const lo = crc ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    crc =
      T7[lo & 0xff]! ^
      T6[(lo >>> 8) & 0xff]! ^
      T5[(lo >>> 16) & 0xff]! ^
      T4[lo >>> 24]! ^
      T3[buf[i + 4]!]! ^
      T2[buf[i + 5]!]! ^
      T1[buf[i + 6]!]! ^
      T0[buf[i + 7]!]!;
    i += 8;
  }
  while (i < end) crc = T0[(crc ^ buf[i++]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
