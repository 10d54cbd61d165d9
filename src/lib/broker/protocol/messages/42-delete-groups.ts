import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// DeleteGroups (key 42), versions 0-2; flexible from v2 (DeleteGroupsRequest/Response.json).

export interface DeleteGroupsRequest {
  groupsNames: string[];
}

export interface DeleteGroupsResponse {
  throttleTimeMs: number;
  results: { groupId: string; errorCode: number }[];
}

export function decodeDeleteGroupsRequest(d: Decoder, v: number): DeleteGroupsRequest {
  const flex = v >= 2;
  const groupsNames = d.array((x) => x.string(flex), flex);
  d.taggedFields(flex);
  return { groupsNames };
}

export function encodeDeleteGroupsResponse(e: Encoder, res: DeleteGroupsResponse, v: number): void {
  const flex = v >= 2;
  e.int32(res.throttleTimeMs);
  e.array(
    res.results,
    (e2, r) => void e2.string(r.groupId, flex).int16(r.errorCode).taggedFields(flex),
    flex,
  );
  e.taggedFields(flex);
}
