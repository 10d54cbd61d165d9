import type { FetchedRecord } from '../partition-reader.js';
import { Reader, WireFormatError } from './bytes.js';
import { type DecodeOptions, decodeRecordBatches } from './record-batch-decoder.js';

/**
 * Fetch response bodies, versions 4-11 (the non-flexible versions that carry record batches:
 * v4 added last_stable_offset and aborted transactions, v5 log_start_offset, v7 the top-level
 * error code and fetch session id, v11 preferred_read_replica). kafkajs writes the request; we
 * only replace how the answer is read.
 */

export const FETCH_MIN_VERSION = 4;
export const FETCH_MAX_VERSION = 11;

export interface FetchedPartition {
  topic: string;
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  /** -1 before v5. */
  logStartOffset: number;
  records: FetchedRecord[];
  /** The offset after the last complete batch (control batches included); null if none was. */
  nextOffset: number | null;
}

export interface FetchResponse {
  throttleTimeMs: number;
  /** Top-level error (v7+, fetch sessions); 0 before. */
  errorCode: number;
  partitions: FetchedPartition[];
}

export async function decodeFetchResponse(
  payload: Buffer,
  version: number,
  opts: DecodeOptions = {},
): Promise<FetchResponse> {
  if (version < FETCH_MIN_VERSION || version > FETCH_MAX_VERSION) {
    throw new WireFormatError(`Fetch v${version} is not supported by this codec`);
  }
  const r = new Reader(payload);
  const throttleTimeMs = r.int32();
  let errorCode = 0;
  if (version >= 7) {
    errorCode = r.int16();
    r.int32(); // session id: we never open fetch sessions (KIP-227), so it is 0
  }
  const partitions: FetchedPartition[] = [];
  const topics = r.int32();
  for (let t = 0; t < topics; t++) {
    const topic = r.string();
    const n = r.int32();
    for (let i = 0; i < n; i++) {
      const partition = r.int32();
      const partErrorCode = r.int16();
      const highWatermark = r.int64();
      const lastStableOffset = r.int64();
      const logStartOffset = version >= 5 ? r.int64() : -1;
      // Aborted transactions only matter at read_committed; we read uncommitted, but skip them.
      const aborted = r.int32();
      if (aborted > 0) {
        r.need(aborted * 16);
        r.pos += aborted * 16;
      }
      if (version >= 11) r.int32(); // preferred read replica (KIP-392): we read from leaders
      const size = r.int32();
      let decoded: { records: FetchedRecord[]; nextOffset: number | null } = {
        records: [],
        nextOffset: null,
      };
      if (size > 0) {
        r.need(size);
        decoded = await decodeRecordBatches(payload, r.pos, r.pos + size, topic, partition, opts);
        r.pos += size;
      }
      partitions.push({
        topic,
        partition,
        errorCode: partErrorCode,
        highWatermark,
        lastStableOffset,
        logStartOffset,
        records: decoded.records,
        nextOffset: decoded.nextOffset,
      });
    }
  }
  return { throttleTimeMs, errorCode, partitions };
}
