import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// Fetch (key 1), versions 4-17 served; flexible from v12; topic ids instead of names from v13
// (FetchRequest/Response.json). Tagged request fields (ClusterId, ReplicaState,
// ReplicaDirectoryId) concern followers and are skipped.

export interface FetchPartition {
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: bigint;
  logStartOffset: bigint;
  partitionMaxBytes: number;
}

export interface FetchTopic {
  /** v0-12; '' from v13. */
  topic: string;
  /** v13+; null before. */
  topicId: Buffer | null;
  partitions: FetchPartition[];
}

export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: FetchTopic[];
  rackId: string;
}

export interface FetchPartitionData {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  /** Whole batches as stored, referenced rather than copied into the response. */
  records: Buffer | null;
}

export interface FetchTopicResponse {
  topic: string;
  topicId: Buffer | null;
  partitions: FetchPartitionData[];
}

export interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: FetchTopicResponse[];
}

export function decodeFetchRequest(d: Decoder, v: number): FetchRequest {
  const flex = v >= 12;
  const replicaId = v <= 14 ? d.int32() : -1;
  const maxWaitMs = d.int32();
  const minBytes = d.int32();
  const maxBytes = v >= 3 ? d.int32() : 0x7fffffff;
  const isolationLevel = v >= 4 ? d.int8() : 0;
  const sessionId = v >= 7 ? d.int32() : 0;
  const sessionEpoch = v >= 7 ? d.int32() : -1;
  const topics = d.array((t) => {
    const topic = v <= 12 ? t.string(flex) : '';
    const topicId = v >= 13 ? t.uuid() : null;
    const partitions = t.array((p) => {
      const partition = p.int32();
      const currentLeaderEpoch = v >= 9 ? p.int32() : -1;
      const fetchOffset = p.int64();
      if (v >= 12) p.int32(); // LastFetchedEpoch: follower log truncation, not used by consumers
      const logStartOffset = v >= 5 ? p.int64() : -1n;
      const partitionMaxBytes = p.int32();
      p.taggedFields(flex);
      return { partition, currentLeaderEpoch, fetchOffset, logStartOffset, partitionMaxBytes };
    }, flex);
    t.taggedFields(flex);
    return { topic, topicId, partitions };
  }, flex);
  if (v >= 7) {
    // ForgottenTopicsData only matters to incremental fetch sessions, which we never open.
    d.array((f) => {
      if (v <= 12) f.string(flex);
      else f.uuid();
      f.array((x) => x.int32(), flex);
      f.taggedFields(flex);
    }, flex);
  }
  const rackId = v >= 11 ? d.string(flex) : '';
  d.taggedFields(flex);
  return {
    replicaId,
    maxWaitMs,
    minBytes,
    maxBytes,
    isolationLevel,
    sessionId,
    sessionEpoch,
    topics,
    rackId,
  };
}

export function encodeFetchResponse(e: Encoder, res: FetchResponse, v: number): void {
  const flex = v >= 12;
  if (v >= 1) e.int32(res.throttleTimeMs);
  if (v >= 7) e.int16(res.errorCode).int32(res.sessionId);
  e.array(
    res.responses,
    (e2, t) => {
      if (v <= 12) e2.string(t.topic, flex);
      else e2.uuid(t.topicId);
      e2.array(t.partitions, (e3, p) => encodePartition(e3, p, v), flex);
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex); // NodeEndpoints (v16+, tag 0) only accompany NOT_LEADER errors
}

function encodePartition(e: Encoder, p: FetchPartitionData, v: number): void {
  const flex = v >= 12;
  e.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark);
  if (v >= 4) e.int64(p.lastStableOffset);
  if (v >= 5) e.int64(p.logStartOffset);
  // AbortedTransactions: null, as Kafka sends for read_uncommitted and for logs without aborts.
  if (v >= 4) e.nullableArray(null, () => undefined, flex);
  if (v >= 11) e.int32(-1); // PreferredReadReplica: none, read from the leader (us)
  e.nullableBytes(p.records, flex);
  e.taggedFields(flex);
}
