import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// OffsetFetch (key 9), versions 1-9; flexible from v6; null topics (= all) from v2; v8+ asks
// for several groups at once (OffsetFetchRequest/Response.json).

export interface OffsetFetchRequestGroup {
  groupId: string;
  /** v9+, only meaningful for KIP-848 consumer groups. */
  memberId: string | null;
  memberEpoch: number;
  /** null: every partition with a committed offset. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

export interface OffsetFetchRequest {
  /** One group below v8. */
  groups: OffsetFetchRequestGroup[];
  requireStable: boolean;
}

export interface OffsetFetchPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchGroup {
  groupId: string;
  topics: { name: string; partitions: OffsetFetchPartition[] }[];
  errorCode: number;
}

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  /** Exactly one below v8 (its fields then sit at the top level). */
  groups: OffsetFetchGroup[];
}

function decodeTopics(d: Decoder, flex: boolean, nullable: boolean): OffsetFetchRequestGroup['topics'] {
  const item = (t: Decoder): { name: string; partitionIndexes: number[] } => {
    const name = t.string(flex);
    const partitionIndexes = t.array((p) => p.int32(), flex);
    t.taggedFields(flex);
    return { name, partitionIndexes };
  };
  return nullable ? d.nullableArray(item, flex) : d.array(item, flex);
}

export function decodeOffsetFetchRequest(d: Decoder, v: number): OffsetFetchRequest {
  const flex = v >= 6;
  let groups: OffsetFetchRequestGroup[];
  if (v <= 7) {
    const groupId = d.string(flex);
    const topics = decodeTopics(d, flex, v >= 2);
    groups = [{ groupId, memberId: null, memberEpoch: -1, topics }];
  } else {
    groups = d.compactArray((g) => {
      const groupId = g.compactString();
      const memberId = v >= 9 ? g.compactNullableString() : null;
      const memberEpoch = v >= 9 ? g.int32() : -1;
      const topics = decodeTopics(g, true, true);
      g.taggedFields();
      return { groupId, memberId, memberEpoch, topics };
    });
  }
  const requireStable = v >= 7 ? d.boolean() : false;
  d.taggedFields(flex);
  return { groups, requireStable };
}

function encodePartitions(e: Encoder, parts: OffsetFetchPartition[], v: number, flex: boolean): void {
  e.array(
    parts,
    (e2, p) => {
      e2.int32(p.partitionIndex).int64(p.committedOffset);
      if (v >= 5) e2.int32(p.committedLeaderEpoch);
      e2.nullableString(p.metadata, flex).int16(p.errorCode).taggedFields(flex);
    },
    flex,
  );
}

function encodeTopics(e: Encoder, g: OffsetFetchGroup, v: number, flex: boolean): void {
  e.array(
    g.topics,
    (e2, t) => {
      e2.string(t.name, flex);
      encodePartitions(e2, t.partitions, v, flex);
      e2.taggedFields(flex);
    },
    flex,
  );
}

export function encodeOffsetFetchResponse(e: Encoder, res: OffsetFetchResponse, v: number): void {
  const flex = v >= 6;
  if (v >= 3) e.int32(res.throttleTimeMs);
  if (v <= 7) {
    const g = res.groups[0] as OffsetFetchGroup;
    encodeTopics(e, g, v, flex);
    if (v >= 2) e.int16(g.errorCode);
  } else {
    e.compactArray(res.groups, (e2, g) => {
      e2.compactString(g.groupId);
      encodeTopics(e2, g, v, true);
      e2.int16(g.errorCode).taggedFields();
    });
  }
  e.taggedFields(flex);
}
