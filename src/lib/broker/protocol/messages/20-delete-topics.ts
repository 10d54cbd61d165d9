import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// DeleteTopics (key 20), versions 0-6; flexible from v4; by name or id from v6
// (DeleteTopicsRequest/Response.json).

export interface DeleteTopicState {
  name: string | null;
  /** v6+; null before. */
  topicId: Buffer | null;
}

export interface DeleteTopicsRequest {
  topics: DeleteTopicState[];
  timeoutMs: number;
}

export interface DeletableTopicResult {
  name: string | null;
  topicId: Buffer | null;
  errorCode: number;
  errorMessage: string | null;
}

export interface DeleteTopicsResponse {
  throttleTimeMs: number;
  responses: DeletableTopicResult[];
}

export function decodeDeleteTopicsRequest(d: Decoder, v: number): DeleteTopicsRequest {
  const flex = v >= 4;
  let topics: DeleteTopicState[];
  if (v >= 6) {
    topics = d.array((t) => {
      const name = t.nullableString(flex);
      const topicId = t.uuid();
      t.taggedFields(flex);
      return { name, topicId };
    }, flex);
  } else {
    topics = d.array((t) => ({ name: t.string(flex), topicId: null }), flex);
  }
  const timeoutMs = d.int32();
  d.taggedFields(flex);
  return { topics, timeoutMs };
}

export function encodeDeleteTopicsResponse(e: Encoder, res: DeleteTopicsResponse, v: number): void {
  const flex = v >= 4;
  if (v >= 1) e.int32(res.throttleTimeMs);
  e.array(
    res.responses,
    (e2, r) => {
      if (v >= 6) e2.nullableString(r.name, flex);
      else e2.string(r.name ?? '', flex);
      if (v >= 6) e2.uuid(r.topicId);
      e2.int16(r.errorCode);
      if (v >= 5) e2.nullableString(r.errorMessage, flex);
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}
