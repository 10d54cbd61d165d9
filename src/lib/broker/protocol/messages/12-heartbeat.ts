import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// Heartbeat (key 12), versions 0-4; flexible from v4 (HeartbeatRequest/Response.json).

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
}

export function decodeHeartbeatRequest(d: Decoder, v: number): HeartbeatRequest {
  const flex = v >= 4;
  const groupId = d.string(flex);
  const generationId = d.int32();
  const memberId = d.string(flex);
  const groupInstanceId = v >= 3 ? d.nullableString(flex) : null;
  d.taggedFields(flex);
  return { groupId, generationId, memberId, groupInstanceId };
}

export function encodeHeartbeatResponse(e: Encoder, res: HeartbeatResponse, v: number): void {
  if (v >= 1) e.int32(res.throttleTimeMs);
  e.int16(res.errorCode).taggedFields(v >= 4);
}
