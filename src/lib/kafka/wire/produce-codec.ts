import { Reader, WireFormatError } from './bytes.js';

/**
 * Produce request and response bodies, versions 3-8. These versions share one request layout:
 * v3 added transactional_id (and requires magic-2 batches), v4-v8 only changed broker behaviour
 * and the response (v5 log_start_offset, v8 per-record errors). v9+ are flexible versions we do
 * not speak; Kafka 4 accepts 3-11, so the negotiated version is min(8, broker max).
 */

export const PRODUCE_MIN_VERSION = 3;
export const PRODUCE_MAX_VERSION = 8;

export interface PartitionBatch {
  partition: number;
  /** One encoded record batch (see record-batch-encoder). */
  batch: Buffer;
}

export interface ProduceRequestData {
  acks: number;
  timeoutMs: number;
  topic: string;
  partitions: readonly PartitionBatch[];
}

/** The body after the request header (kafkajs writes the header). */
export function encodeProduceRequest(req: ProduceRequestData): Buffer {
  return Buffer.concat(produceRequestParts(req));
}

/**
 * The same body as buffers to write one after another: the batches themselves and small buffers
 * with what comes between them, so a megabyte of batches is not copied to become a request.
 */
export function produceRequestParts(req: ProduceRequestData): Buffer[] {
  const topicBytes = Buffer.from(req.topic, 'utf8');
  const head = Buffer.allocUnsafe(2 + 2 + 4 + 4 + 2 + topicBytes.length + 4);
  let pos = head.writeInt16BE(-1, 0); // transactional_id: null, we are not a transactional producer
  pos = head.writeInt16BE(req.acks, pos);
  pos = head.writeInt32BE(req.timeoutMs, pos);
  pos = head.writeInt32BE(1, pos); // one topic per request
  pos = head.writeInt16BE(topicBytes.length, pos);
  pos += topicBytes.copy(head, pos);
  head.writeInt32BE(req.partitions.length, pos);
  const parts: Buffer[] = [head];
  for (const p of req.partitions) {
    const prefix = Buffer.allocUnsafe(8);
    prefix.writeInt32BE(p.partition, 0);
    prefix.writeInt32BE(p.batch.length, 4);
    parts.push(prefix, p.batch);
  }
  return parts;
}

export interface ProducePartitionResponse {
  topic: string;
  partition: number;
  errorCode: number;
  baseOffset: number;
  /** -1 unless the topic uses log-append time. */
  logAppendTimeMs: number;
  /** -1 before v5. */
  logStartOffset: number;
  /** v8+: which records made the broker drop the batch, and why. */
  recordErrors: { batchIndex: number; message: string | null }[];
  errorMessage: string | null;
}

export interface ProduceResponse {
  partitions: ProducePartitionResponse[];
  throttleTimeMs: number;
}

export function decodeProduceResponse(payload: Buffer, version: number): ProduceResponse {
  if (version < PRODUCE_MIN_VERSION || version > PRODUCE_MAX_VERSION) {
    throw new WireFormatError(`Produce v${version} is not supported by this codec`);
  }
  const r = new Reader(payload);
  const partitions: ProducePartitionResponse[] = [];
  const topics = r.int32();
  for (let t = 0; t < topics; t++) {
    const topic = r.string();
    const n = r.int32();
    for (let i = 0; i < n; i++) {
      const partition = r.int32();
      const errorCode = r.int16();
      const baseOffset = r.int64();
      const logAppendTimeMs = r.int64();
      const logStartOffset = version >= 5 ? r.int64() : -1;
      const recordErrors: ProducePartitionResponse['recordErrors'] = [];
      let errorMessage: string | null = null;
      if (version >= 8) {
        const errors = r.int32();
        for (let e = 0; e < errors; e++) {
          recordErrors.push({ batchIndex: r.int32(), message: r.nullableString() });
        }
        errorMessage = r.nullableString();
      }
      partitions.push({
        topic,
        partition,
        errorCode,
        baseOffset,
        logAppendTimeMs,
        logStartOffset,
        recordErrors,
        errorMessage,
      });
    }
  }
  const throttleTimeMs = r.int32();
  return { partitions, throttleTimeMs };
}
