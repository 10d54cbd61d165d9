/**
 * Walking the batches of a segment file in large chunks (1 MiB reads), for recovery (CRC check
 * of a tail), rebuilding indexes and producer state, and sizing a read. Small batches cost one
 * read per chunk rather than one per batch; a batch larger than the chunk gets a buffer of its own.
 */
import { readSync } from 'node:fs';
import {
  ATTRIBUTES,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH,
  CRC,
  LOG_OVERHEAD,
  MAGIC,
} from '../protocol/record-batch.js';
import { crc32c } from '../protocol/crc32c.js';

const CHUNK = 1 << 20;

/** Reads up to `len` bytes at `position` into buf[0..]; returns the bytes read (short at EOF). */
export function readFully(fd: number, buf: Buffer, len: number, position: number): number {
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** int64 big-endian as a double, without a BigInt allocation (exact below 2^53). */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4);
}

export interface ScanEnd {
  /** File position just after the last good batch. */
  readonly end: number;
  /** Why the walk stopped before `to`, or null if it reached it (or the visitor stopped it). */
  readonly fault: string | null;
}

/**
 * Calls `visit(buf, pos, filePos, size)` for each whole batch in [from, to). With `verify` it
 * also checks magic and CRC-32C. Stops at the first torn or bad batch and says where, so
 * recovery can truncate there. `visit` returning false stops the walk early (fault null).
 */
export function scanBatches(
  fd: number,
  from: number,
  to: number,
  verify: boolean,
  visit: (buf: Buffer, pos: number, filePos: number, size: number) => boolean | void,
): ScanEnd {
  let chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(BATCH_HEADER_SIZE, to - from)));
  let chunkStart = from;
  let chunkLen = 0;
  let filePos = from;
  while (filePos < to) {
    let off = filePos - chunkStart;
    if (off + BATCH_HEADER_SIZE > chunkLen) {
      chunkStart = filePos;
      chunkLen = readFully(fd, chunk, Math.min(chunk.length, to - filePos), filePos);
      off = 0;
    }
    if (chunkLen - off < BATCH_HEADER_SIZE) {
      return { end: filePos, fault: `torn batch header at ${filePos} (${to - filePos} bytes left)` };
    }
    const batchLength = chunk.readInt32BE(off + BATCH_LENGTH);
    const size = batchLength + LOG_OVERHEAD;
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) {
      return { end: filePos, fault: `bad batch length ${batchLength} at ${filePos}` };
    }
    if (size > to - filePos)
      return { end: filePos, fault: `torn batch at ${filePos}: ${size} bytes, ${to - filePos} left` };
    if (chunk[off + MAGIC] !== 2) return { end: filePos, fault: `magic ${chunk[off + MAGIC]} at ${filePos}` };
    if (off + size > chunkLen) {
      if (size > chunk.length) chunk = Buffer.allocUnsafe(size);
      chunkStart = filePos;
      chunkLen = readFully(fd, chunk, Math.min(chunk.length, to - filePos), filePos);
      off = 0;
      if (chunkLen < size) return { end: filePos, fault: `short read at ${filePos}` };
    }
    if (verify && crc32c(chunk, off + ATTRIBUTES, off + size) !== chunk.readUInt32BE(off + CRC)) {
      return { end: filePos, fault: `CRC mismatch in batch at ${filePos}` };
    }
    if (visit(chunk, off, filePos, size) === false) return { end: filePos, fault: null };
    filePos += size;
  }
  return { end: filePos, fault: null };
}
