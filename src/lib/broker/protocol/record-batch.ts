/**
 * Facts about the magic-2 record batch (KIP-98), the only on-disk and on-wire record format the
 * broker stores. The header is fixed-size (61 bytes); records follow, possibly compressed. The
 * CRC-32C covers everything from `attributes` to the end, so rewriting baseOffset or
 * partitionLeaderEpoch (as a broker does on append) leaves the CRC valid.
 *
 *   baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 *   attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
 *   producerId int64 | producerEpoch int16 | baseSequence int32 | recordsCount int32 | records
 *
 * Record encoding (varints) lives in record-codec.ts.
 */
import { crc32c } from './crc32c.js';

export const BASE_OFFSET = 0;
export const BATCH_LENGTH = 8;
export const PARTITION_LEADER_EPOCH = 12;
export const MAGIC = 16;
export const CRC = 17;
export const ATTRIBUTES = 21;
export const LAST_OFFSET_DELTA = 23;
export const BASE_TIMESTAMP = 27;
export const MAX_TIMESTAMP = 35;
export const PRODUCER_ID = 43;
export const PRODUCER_EPOCH = 51;
export const BASE_SEQUENCE = 53;
export const RECORDS_COUNT = 57;
export const RECORDS = 61;

/** Header size; also the smallest legal batch. */
export const BATCH_HEADER_SIZE = RECORDS;
/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const LOG_OVERHEAD = 12;

/** attributes bits 0-2: compression codec. */
export const COMPRESSION_MASK = 0x07;
export const Compression = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
/** attributes bit 3: 1 = LogAppendTime (the broker set the timestamps). */
export const TIMESTAMP_TYPE_FLAG = 0x08;
export const TRANSACTIONAL_FLAG = 0x10;
export const CONTROL_FLAG = 0x20;

export interface BatchHeader {
  readonly baseOffset: bigint;
  readonly batchLength: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly attributes: number;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordsCount: number;
}

/** One batch inside a larger buffer: buf[pos, pos + size). No copy. */
export interface BatchView {
  readonly buf: Buffer;
  readonly pos: number;
  /** Whole batch size: batchLength + 12. */
  readonly size: number;
}

export type RecordBatchFault =
  'truncated' | 'bad-length' | 'bad-magic' | 'bad-crc' | 'bad-records' | 'unsupported-compression';

/** A malformed batch; the log turns it into CORRUPT_MESSAGE. */
export class RecordBatchError extends Error {
  constructor(
    readonly fault: RecordBatchFault,
    readonly pos: number,
    message: string,
  ) {
    super(message);
    this.name = 'RecordBatchError';
  }
}

/** Reads the 61-byte header at `pos`. Throws RecordBatchError('truncated') if it does not fit. */
export function readBatchHeader(buf: Buffer, pos: number): BatchHeader {
  if (pos < 0 || buf.length - pos < BATCH_HEADER_SIZE) {
    throw new RecordBatchError(
      'truncated',
      pos,
      `batch header at ${pos} needs 61 bytes, have ${buf.length - pos}`,
    );
  }
  return {
    baseOffset: buf.readBigInt64BE(pos + BASE_OFFSET),
    batchLength: buf.readInt32BE(pos + BATCH_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(pos + MAGIC),
    crc: buf.readUInt32BE(pos + CRC),
    attributes: buf.readInt16BE(pos + ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + LAST_OFFSET_DELTA),
    baseTimestamp: buf.readBigInt64BE(pos + BASE_TIMESTAMP),
    maxTimestamp: buf.readBigInt64BE(pos + MAX_TIMESTAMP),
    producerId: buf.readBigInt64BE(pos + PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BASE_SEQUENCE),
    recordsCount: buf.readInt32BE(pos + RECORDS_COUNT),
  };
}

/**
 * Size of the batch at `pos` (batchLength + 12) after checking its length and magic, without
 * reading the rest of the header. `limit` is where the buffer's valid bytes end.
 */
export function batchSizeAt(
  buf: Buffer,
  pos: number,
  limit = buf.length,
  maxBatchBytes = 0x7fffffff,
): number {
  if (limit - pos < LOG_OVERHEAD) {
    throw new RecordBatchError(
      'truncated',
      pos,
      `batch at ${pos}: ${limit - pos} bytes left, need 12 for its length`,
    );
  }
  const batchLength = buf.readInt32BE(pos + BATCH_LENGTH);
  const size = batchLength + LOG_OVERHEAD;
  if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) {
    throw new RecordBatchError(
      'bad-length',
      pos,
      `batch at ${pos}: batchLength ${batchLength} below the 49-byte minimum`,
    );
  }
  if (size > maxBatchBytes) {
    throw new RecordBatchError(
      'bad-length',
      pos,
      `batch at ${pos}: ${size} bytes exceeds the limit ${maxBatchBytes}`,
    );
  }
  if (size > limit - pos) {
    throw new RecordBatchError('truncated', pos, `batch at ${pos}: needs ${size} bytes, have ${limit - pos}`);
  }
  const magic = buf[pos + MAGIC];
  if (magic !== 2) throw new RecordBatchError('bad-magic', pos, `batch at ${pos}: magic ${magic}, want 2`);
  return size;
}

/**
 * Walks a records buffer (one or more batches back to back) into views. Rejects a truncated
 * tail, lengths below the header size or above `maxBatchBytes`, and magic != 2: a produce
 * request's records must be whole batches (a partial trailing batch is only legal in Fetch).
 */
export function splitBatches(buf: Buffer, maxBatchBytes = 0x7fffffff): BatchView[] {
  const views: BatchView[] = [];
  let pos = 0;
  if (buf.length === 0) throw new RecordBatchError('truncated', 0, 'empty records');
  while (pos < buf.length) {
    const size = batchSizeAt(buf, pos, buf.length, maxBatchBytes);
    views.push({ buf, pos, size });
    pos += size;
  }
  return views;
}

/** True when the stored CRC matches the CRC-32C of attributes..end. */
export function verifyCrc(view: BatchView): boolean {
  const stored = view.buf.readUInt32BE(view.pos + CRC);
  return crc32c(view.buf, view.pos + ATTRIBUTES, view.pos + view.size) === stored;
}

/** Rewrites the baseOffset field in place (outside the CRC, so the CRC stays valid). */
export function setBaseOffset(buf: Buffer, pos: number, offset: bigint): void {
  buf.writeBigInt64BE(offset, pos + BASE_OFFSET);
}

/** Recomputes and stores the CRC, for a batch whose covered fields were changed. */
export function writeCrc(buf: Buffer, pos: number, size: number): void {
  buf.writeUInt32BE(crc32c(buf, pos + ATTRIBUTES, pos + size), pos + CRC);
}

export { buildRecordBatch, decodeRecords, scanRecordTimes } from './record-codec.js';
export type { BuildBatchOptions, RecordInput, DecodedRecord } from './record-codec.js';
