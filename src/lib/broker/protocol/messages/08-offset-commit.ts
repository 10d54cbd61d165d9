import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// OffsetCommit (key 8), versions 2-9; flexible from v8 (OffsetCommitRequest/Response.json).
// v2-4 carry a retention time (ignored, as Kafka 4 does: retention is the broker's setting).

export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: { name: string; partitions: OffsetCommitRequestPartition[] }[];
}

export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export function decodeOffsetCommitRequest(d: Decoder, v: number): OffsetCommitRequest {
  const flex = v >= 8;
  const groupId = d.string(flex);
  const generationIdOrMemberEpoch = v >= 1 ? d.int32() : -1;
  const memberId = v >= 1 ? d.string(flex) : '';
  const groupInstanceId = v >= 7 ? d.nullableString(flex) : null;
  if (v >= 2 && v <= 4) d.int64(); // RetentionTimeMs
  const topics = d.array((t) => {
    const name = t.string(flex);
    const partitions = t.array((p) => {
      const partitionIndex = p.int32();
      const committedOffset = p.int64();
      const committedLeaderEpoch = v >= 6 ? p.int32() : -1;
      if (v === 1) p.int64(); // CommitTimestamp
      const committedMetadata = p.nullableString(flex);
      p.taggedFields(flex);
      return { partitionIndex, committedOffset, committedLeaderEpoch, committedMetadata };
    }, flex);
    t.taggedFields(flex);
    return { name, partitions };
  }, flex);
  d.taggedFields(flex);
  return { groupId, generationIdOrMemberEpoch, memberId, groupInstanceId, topics };
}

export function encodeOffsetCommitResponse(e: Encoder, res: OffsetCommitResponse, v: number): void {
  const flex = v >= 8;
  if (v >= 3) e.int32(res.throttleTimeMs);
  e.array(
    res.topics,
    (e2, t) => {
      e2.string(t.name, flex);
      e2.array(
        t.partitions,
        (e3, p) => void e3.int32(p.partitionIndex).int16(p.errorCode).taggedFields(flex),
        flex,
      );
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}
