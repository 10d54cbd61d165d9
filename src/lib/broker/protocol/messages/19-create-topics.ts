import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// CreateTopics (key 19), versions 0-7; flexible from v5 (CreateTopicsRequest/Response.json).

export interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  /** Manual assignment: one entry per partition, listing its replica broker ids. */
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: { name: string; value: string | null }[];
}

export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatableTopicConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  configSource: number;
  isSensitive: boolean;
}

export interface CreatableTopicResult {
  name: string;
  topicId: Buffer | null;
  errorCode: number;
  errorMessage: string | null;
  numPartitions: number;
  replicationFactor: number;
  configs: CreatableTopicConfig[] | null;
}

export interface CreateTopicsResponse {
  throttleTimeMs: number;
  topics: CreatableTopicResult[];
}

export function decodeCreateTopicsRequest(d: Decoder, v: number): CreateTopicsRequest {
  const flex = v >= 5;
  const topics = d.array((t) => {
    const name = t.string(flex);
    const numPartitions = t.int32();
    const replicationFactor = t.int16();
    const assignments = t.array((a) => {
      const partitionIndex = a.int32();
      const brokerIds = a.array((x) => x.int32(), flex);
      a.taggedFields(flex);
      return { partitionIndex, brokerIds };
    }, flex);
    const configs = t.array((c) => {
      const cname = c.string(flex);
      const value = c.nullableString(flex);
      c.taggedFields(flex);
      return { name: cname, value };
    }, flex);
    t.taggedFields(flex);
    return { name, numPartitions, replicationFactor, assignments, configs };
  }, flex);
  const timeoutMs = d.int32();
  const validateOnly = v >= 1 ? d.boolean() : false;
  d.taggedFields(flex);
  return { topics, timeoutMs, validateOnly };
}

export function encodeCreateTopicsResponse(e: Encoder, res: CreateTopicsResponse, v: number): void {
  const flex = v >= 5;
  if (v >= 2) e.int32(res.throttleTimeMs);
  e.array(
    res.topics,
    (e2, t) => {
      e2.string(t.name, flex);
      if (v >= 7) e2.uuid(t.topicId);
      e2.int16(t.errorCode);
      if (v >= 1) e2.nullableString(t.errorMessage, flex);
      if (v >= 5) {
        e2.int32(t.numPartitions).int16(t.replicationFactor);
        e2.nullableArray(
          t.configs,
          (e3, c) => {
            e3.string(c.name, flex).nullableString(c.value, flex).boolean(c.readOnly);
            e3.int8(c.configSource).boolean(c.isSensitive).taggedFields(flex);
          },
          flex,
        );
      }
      e2.taggedFields(flex); // TopicConfigErrorCode (tag 0) is only set when configs fail to load
    },
    flex,
  );
  e.taggedFields(flex);
}
