import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// OffsetDelete (key 47, KIP-496), version 0; not flexible (OffsetDeleteRequest/Response.json).

export interface OffsetDeleteRequest {
  groupId: string;
  topics: { name: string; partitions: number[] }[];
}

export interface OffsetDeleteResponse {
  errorCode: number;
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export function decodeOffsetDeleteRequest(d: Decoder): OffsetDeleteRequest {
  const groupId = d.string();
  const topics = d.array((t) => ({ name: t.string(), partitions: t.array((p) => p.int32()) }));
  return { groupId, topics };
}

export function encodeOffsetDeleteResponse(e: Encoder, res: OffsetDeleteResponse): void {
  e.int16(res.errorCode).int32(res.throttleTimeMs);
  e.array(res.topics, (e2, t) => {
    e2.string(t.name);
    e2.array(t.partitions, (e3, p) => void e3.int32(p.partitionIndex).int16(p.errorCode));
  });
}
