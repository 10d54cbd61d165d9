import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// SyncGroup (key 14), versions 0-5; flexible from v4; v5 adds protocol type/name (KIP-559)
// (SyncGroupRequest/Response.json).

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export function decodeSyncGroupRequest(d: Decoder, v: number): SyncGroupRequest {
  const flex = v >= 4;
  const groupId = d.string(flex);
  const generationId = d.int32();
  const memberId = d.string(flex);
  const groupInstanceId = v >= 3 ? d.nullableString(flex) : null;
  const protocolType = v >= 5 ? d.nullableString(flex) : null;
  const protocolName = v >= 5 ? d.nullableString(flex) : null;
  const assignments = d.array((a) => {
    const id = a.string(flex);
    const assignment = a.bytes(flex);
    a.taggedFields(flex);
    return { memberId: id, assignment };
  }, flex);
  d.taggedFields(flex);
  return { groupId, generationId, memberId, groupInstanceId, protocolType, protocolName, assignments };
}

export function encodeSyncGroupResponse(e: Encoder, res: SyncGroupResponse, v: number): void {
  const flex = v >= 4;
  if (v >= 1) e.int32(res.throttleTimeMs);
  e.int16(res.errorCode);
  if (v >= 5) e.compactNullableString(res.protocolType).compactNullableString(res.protocolName);
  e.bytes(res.assignment, flex).taggedFields(flex);
}
