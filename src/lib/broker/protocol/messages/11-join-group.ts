import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// JoinGroup (key 11), versions 0-9; flexible from v6 (JoinGroupRequest/Response.json).

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  reason: string | null;
}

export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export function decodeJoinGroupRequest(d: Decoder, v: number): JoinGroupRequest {
  const flex = v >= 6;
  const groupId = d.string(flex);
  const sessionTimeoutMs = d.int32();
  // v0 has no rebalance timeout: Kafka uses the session timeout.
  const rebalanceTimeoutMs = v >= 1 ? d.int32() : sessionTimeoutMs;
  const memberId = d.string(flex);
  const groupInstanceId = v >= 5 ? d.nullableString(flex) : null;
  const protocolType = d.string(flex);
  const protocols = d.array((p) => {
    const name = p.string(flex);
    const metadata = p.bytes(flex);
    p.taggedFields(flex);
    return { name, metadata };
  }, flex);
  const reason = v >= 8 ? d.nullableString(flex) : null;
  d.taggedFields(flex);
  return {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    memberId,
    groupInstanceId,
    protocolType,
    protocols,
    reason,
  };
}

export function encodeJoinGroupResponse(e: Encoder, res: JoinGroupResponse, v: number): void {
  const flex = v >= 6;
  if (v >= 2) e.int32(res.throttleTimeMs);
  e.int16(res.errorCode).int32(res.generationId);
  if (v >= 7) e.compactNullableString(res.protocolType);
  // ProtocolName is nullable only from v7; before that "no protocol" is the empty string.
  if (v >= 7) e.compactNullableString(res.protocolName);
  else e.string(res.protocolName ?? '', flex);
  e.string(res.leader, flex);
  if (v >= 9) e.boolean(res.skipAssignment);
  e.string(res.memberId, flex);
  e.array(
    res.members,
    (e2, m) => {
      e2.string(m.memberId, flex);
      if (v >= 5) e2.nullableString(m.groupInstanceId, flex);
      e2.bytes(m.metadata, flex).taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}
