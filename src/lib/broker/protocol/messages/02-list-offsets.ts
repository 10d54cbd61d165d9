import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// ListOffsets (key 2), versions 0-10; flexible from v6 (ListOffsetsRequest/Response.json).

export interface ListOffsetsPartition {
  partitionIndex: number;
  currentLeaderEpoch: number;
  timestamp: bigint;
  /** v0 only. */
  maxNumOffsets: number;
}

export interface ListOffsetsTopic {
  name: string;
  partitions: ListOffsetsPartition[];
}

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: ListOffsetsTopic[];
  timeoutMs: number;
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  timestamp: bigint;
  offset: bigint;
  leaderEpoch: number;
}

export interface ListOffsetsTopicResponse {
  name: string;
  partitions: ListOffsetsPartitionResponse[];
}

export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: ListOffsetsTopicResponse[];
}

export function decodeListOffsetsRequest(d: Decoder, v: number): ListOffsetsRequest {
  const flex = v >= 6;
  const replicaId = d.int32();
  const isolationLevel = v >= 2 ? d.int8() : 0;
  const topics = d.array((t) => {
    const name = t.string(flex);
    const partitions = t.array((p) => {
      const partitionIndex = p.int32();
      const currentLeaderEpoch = v >= 4 ? p.int32() : -1;
      const timestamp = p.int64();
      const maxNumOffsets = v === 0 ? p.int32() : 1;
      p.taggedFields(flex);
      return { partitionIndex, currentLeaderEpoch, timestamp, maxNumOffsets };
    }, flex);
    t.taggedFields(flex);
    return { name, partitions };
  }, flex);
  const timeoutMs = v >= 10 ? d.int32() : 0;
  d.taggedFields(flex);
  return { replicaId, isolationLevel, topics, timeoutMs };
}

export function encodeListOffsetsResponse(e: Encoder, res: ListOffsetsResponse, v: number): void {
  const flex = v >= 6;
  if (v >= 2) e.int32(res.throttleTimeMs);
  e.array(
    res.topics,
    (e2, t) => {
      e2.string(t.name, flex);
      e2.array(
        t.partitions,
        (e3, p) => {
          e3.int32(p.partitionIndex).int16(p.errorCode);
          if (v === 0) {
            // OldStyleOffsets: v0 lists offsets instead of one (timestamp, offset) pair.
            e3.array(p.offset >= 0n ? [p.offset] : [], (e4, o) => void e4.int64(o));
          } else {
            e3.int64(p.timestamp).int64(p.offset);
            if (v >= 4) e3.int32(p.leaderEpoch);
          }
          e3.taggedFields(flex);
        },
        flex,
      );
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}
