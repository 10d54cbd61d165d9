/**
 * ListOffsets by timestamp: the earliest offset whose record timestamp is >= ts (Kafka's
 * fetchOffsetByTimestamp). Segments are skipped by their max timestamp; inside the first segment
 * that can hold the answer the time index gives a start offset (binary search), the offset
 * index a file position, and a short walk over batch headers finds the first batch whose
 * maxTimestamp >= ts. That batch holds the answer; its records are decoded to find the exact one.
 * Cost: O(segments + log(index entries)) plus a walk of about index.interval.bytes.
 *
 * Compressed batches: gzip is inflated with node:zlib. snappy, lz4 and zstd would need libraries
 * we do not ship, so for those the answer is the batch's first offset with the batch's
 * maxTimestamp — a consumer seeking there sees at most one batch of earlier records.
 */
import {
  ATTRIBUTES,
  COMPRESSION_MASK,
  Compression,
  MAX_TIMESTAMP,
  RecordBatchError,
  scanRecordTimes,
} from '../protocol/record-batch.js';
import type { PartitionLog } from './partition-log.js';

export interface TimestampHit {
  readonly offset: number;
  readonly timestamp: number;
}

export function offsetForTimestamp(log: PartitionLog, ts: number): TimestampHit | null {
  const start = log.logStartOffset;
  for (const seg of log.segments) {
    if (seg.nextOffset <= start || seg.maxTimestamp < ts) continue;
    const from = Math.max(seg.baseOffset + seg.timeIndex.lookup(ts), start);
    let position = seg.offsetIndex.lookup(from - seg.baseOffset);
    while (position < seg.size) {
      const b = seg.locate(position);
      position += b.size;
      if (b.lastOffset < from || b.maxTimestamp < ts) continue;
      const batch = seg.read(b.position, b.size);
      const hit = searchBatch(batch, ts, start);
      if (hit) return hit;
    }
  }
  return null;
}

/** The first record of a batch at or after `minOffset` with timestamp >= ts. */
function searchBatch(batch: Buffer, ts: number, minOffset: number): TimestampHit | null {
  const codec = batch.readInt16BE(ATTRIBUTES) & COMPRESSION_MASK;
  if (codec !== Compression.none && codec !== Compression.gzip) return undecodable(batch, minOffset);
  let hit: TimestampHit | null = null;
  try {
    scanRecordTimes(batch, 0, (offset, timestamp) => {
      if (offset < minOffset || timestamp < ts) return false;
      hit = { offset, timestamp };
      return true;
    });
  } catch (err) {
    if (err instanceof RecordBatchError) return undecodable(batch, minOffset);
    throw err;
  }
  return hit;
}

function undecodable(batch: Buffer, minOffset: number): TimestampHit {
  const base = Number(batch.readBigInt64BE(0));
  return { offset: Math.max(base, minOffset), timestamp: Number(batch.readBigInt64BE(MAX_TIMESTAMP)) };
}
