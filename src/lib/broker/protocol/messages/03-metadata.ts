import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// Metadata (key 3), versions 0-12; flexible from v9 (MetadataRequest/Response.json).

/** Kafka's "authorized operations not requested" sentinel (INT32_MIN). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export interface MetadataRequestTopic {
  /** v10+; all zero when the client names the topic. */
  topicId: Buffer | null;
  /** Nullable from v10 (a topic asked for by id). */
  name: string | null;
}

export interface MetadataRequest {
  /** null = every topic (v1+; in v0 an empty list means every topic and is decoded as null). */
  topics: MetadataRequestTopic[] | null;
  allowAutoTopicCreation: boolean;
  includeTopicAuthorizedOperations: boolean;
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string | null;
  topicId: Buffer | null;
  isInternal: boolean;
  partitions: MetadataPartition[];
  topicAuthorizedOperations: number;
}

export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

export function decodeMetadataRequest(d: Decoder, v: number): MetadataRequest {
  const flex = v >= 9;
  let topics = d.nullableArray((t) => {
    const topicId = v >= 10 ? t.uuid() : null;
    const name = v >= 10 ? t.nullableString(flex) : t.string(flex);
    t.taggedFields(flex);
    return { topicId, name };
  }, flex);
  if (v === 0 && topics !== null && topics.length === 0) topics = null;
  // Before v4 there was no flag and a broker with auto-creation on always created.
  const allowAutoTopicCreation = v >= 4 ? d.boolean() : true;
  if (v >= 8 && v <= 10) d.boolean(); // IncludeClusterAuthorizedOperations: DescribeCluster answers it now
  const includeTopicAuthorizedOperations = v >= 8 ? d.boolean() : false;
  d.taggedFields(flex);
  return { topics, allowAutoTopicCreation, includeTopicAuthorizedOperations };
}

const int32 = (e: Encoder, n: number): void => void e.int32(n);

export function encodeMetadataResponse(e: Encoder, res: MetadataResponse, v: number): void {
  const flex = v >= 9;
  if (v >= 3) e.int32(res.throttleTimeMs);
  e.array(
    res.brokers,
    (e2, b) => {
      e2.int32(b.nodeId).string(b.host, flex).int32(b.port);
      if (v >= 1) e2.nullableString(b.rack, flex);
      e2.taggedFields(flex);
    },
    flex,
  );
  if (v >= 2) e.nullableString(res.clusterId, flex);
  if (v >= 1) e.int32(res.controllerId);
  e.array(res.topics, (e2, t) => encodeTopic(e2, t, v), flex);
  if (v >= 8 && v <= 10) e.int32(AUTHORIZED_OPERATIONS_OMITTED);
  e.taggedFields(flex);
}

function encodeTopic(e: Encoder, t: MetadataTopic, v: number): void {
  const flex = v >= 9;
  e.int16(t.errorCode);
  if (v >= 12) e.nullableString(t.name, flex);
  else e.string(t.name ?? '', flex);
  if (v >= 10) e.uuid(t.topicId);
  if (v >= 1) e.boolean(t.isInternal);
  e.array(
    t.partitions,
    (e2, p) => {
      e2.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
      if (v >= 7) e2.int32(p.leaderEpoch);
      e2.array(p.replicaNodes, int32, flex).array(p.isrNodes, int32, flex);
      if (v >= 5) e2.array(p.offlineReplicas, int32, flex);
      e2.taggedFields(flex);
    },
    flex,
  );
  if (v >= 8) e.int32(t.topicAuthorizedOperations);
  e.taggedFields(flex);
}
