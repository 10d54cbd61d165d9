import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// CreatePartitions (key 37), versions 0-3; flexible from v2
// (CreatePartitionsRequest/Response.json).

export interface CreatePartitionsTopic {
  name: string;
  count: number;
  assignments: { brokerIds: number[] }[] | null;
}

export interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatePartitionsResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: CreatePartitionsResult[];
}

export function decodeCreatePartitionsRequest(d: Decoder, v: number): CreatePartitionsRequest {
  const flex = v >= 2;
  const topics = d.array((t) => {
    const name = t.string(flex);
    const count = t.int32();
    const assignments = t.nullableArray((a) => {
      const brokerIds = a.array((x) => x.int32(), flex);
      a.taggedFields(flex);
      return { brokerIds };
    }, flex);
    t.taggedFields(flex);
    return { name, count, assignments };
  }, flex);
  const timeoutMs = d.int32();
  const validateOnly = d.boolean();
  d.taggedFields(flex);
  return { topics, timeoutMs, validateOnly };
}

export function encodeCreatePartitionsResponse(e: Encoder, res: CreatePartitionsResponse, v: number): void {
  const flex = v >= 2;
  e.int32(res.throttleTimeMs);
  e.array(
    res.results,
    (e2, r) => {
      e2.string(r.name, flex).int16(r.errorCode).nullableString(r.errorMessage, flex).taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}
