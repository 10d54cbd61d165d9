import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// DeleteRecords (key 21), versions 0-2; flexible from v2 (DeleteRecordsRequest/Response.json).

export interface DeleteRecordsTopic {
  name: string;
  partitions: { partitionIndex: number; offset: bigint }[];
}

export interface DeleteRecordsRequest {
  topics: DeleteRecordsTopic[];
  timeoutMs: number;
}

export interface DeleteRecordsPartitionResult {
  partitionIndex: number;
  lowWatermark: bigint;
  errorCode: number;
}

export interface DeleteRecordsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: DeleteRecordsPartitionResult[] }[];
}

export function decodeDeleteRecordsRequest(d: Decoder, v: number): DeleteRecordsRequest {
  const flex = v >= 2;
  const topics = d.array((t) => {
    const name = t.string(flex);
    const partitions = t.array((p) => {
      const partitionIndex = p.int32();
      const offset = p.int64();
      p.taggedFields(flex);
      return { partitionIndex, offset };
    }, flex);
    t.taggedFields(flex);
    return { name, partitions };
  }, flex);
  const timeoutMs = d.int32();
  d.taggedFields(flex);
  return { topics, timeoutMs };
}

export function encodeDeleteRecordsResponse(e: Encoder, res: DeleteRecordsResponse, v: number): void {
  const flex = v >= 2;
  e.int32(res.throttleTimeMs);
  e.array(
    res.topics,
    (e2, t) => {
      e2.string(t.name, flex);
      e2.array(
        t.partitions,
        (e3, p) =>
          void e3.int32(p.partitionIndex).int64(p.lowWatermark).int16(p.errorCode).taggedFields(flex),
        flex,
      );
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}
