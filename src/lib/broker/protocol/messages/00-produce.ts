import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// Produce (key 0), versions 0-11; flexible from v9 (ProduceRequest/Response.json).

export interface ProducePartitionData {
  index: number;
  /** The record batches exactly as sent: a slice of the request frame, not a copy. */
  records: Buffer | null;
}

export interface ProduceTopicData {
  name: string;
  partitions: ProducePartitionData[];
}

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: ProduceTopicData[];
}

export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  errorMessage: string | null;
}

export interface ProduceTopicResponse {
  name: string;
  partitions: ProducePartitionResponse[];
}

export interface ProduceResponse {
  topics: ProduceTopicResponse[];
  throttleTimeMs: number;
}

export function decodeProduceRequest(d: Decoder, v: number): ProduceRequest {
  const flex = v >= 9;
  const transactionalId = v >= 3 ? d.nullableString(flex) : null;
  const acks = d.int16();
  const timeoutMs = d.int32();
  const topics = d.array((t) => {
    const name = t.string(flex);
    const partitions = t.array((p) => {
      const index = p.int32();
      const records = p.nullableBytes(flex);
      p.taggedFields(flex);
      return { index, records };
    }, flex);
    t.taggedFields(flex);
    return { name, partitions };
  }, flex);
  d.taggedFields(flex);
  return { transactionalId, acks, timeoutMs, topics };
}

export function encodeProduceResponse(e: Encoder, res: ProduceResponse, v: number): void {
  const flex = v >= 9;
  e.array(
    res.topics,
    (e2, t) => {
      e2.string(t.name, flex);
      e2.array(t.partitions, (e3, p) => encodePartition(e3, p, v), flex);
      e2.taggedFields(flex);
    },
    flex,
  );
  if (v >= 1) e.int32(res.throttleTimeMs);
  e.taggedFields(flex); // NodeEndpoints (v10+, tag 0) is only sent with NOT_LEADER errors
}

function encodePartition(e: Encoder, p: ProducePartitionResponse, v: number): void {
  const flex = v >= 9;
  e.int32(p.index).int16(p.errorCode).int64(p.baseOffset);
  if (v >= 2) e.int64(p.logAppendTimeMs);
  if (v >= 5) e.int64(p.logStartOffset);
  if (v >= 8) {
    e.array([], () => undefined, flex); // RecordErrors: we reject whole batches, not single records
    e.nullableString(p.errorMessage, flex);
  }
  e.taggedFields(flex); // CurrentLeader (v10+, tag 0) likewise
}
