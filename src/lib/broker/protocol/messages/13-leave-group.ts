import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// LeaveGroup (key 13), versions 0-5; v3+ leaves a batch of members (KIP-345); flexible from v4
// (LeaveGroupRequest/Response.json).

export interface LeaveGroupRequest {
  groupId: string;
  /** v0-2 carry one member id; it is presented here as a one-member batch. */
  members: { memberId: string; groupInstanceId: string | null; reason: string | null }[];
}

export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export function decodeLeaveGroupRequest(d: Decoder, v: number): LeaveGroupRequest {
  const flex = v >= 4;
  const groupId = d.string(flex);
  let members: LeaveGroupRequest['members'];
  if (v <= 2) {
    members = [{ memberId: d.string(), groupInstanceId: null, reason: null }];
  } else {
    members = d.array((m) => {
      const memberId = m.string(flex);
      const groupInstanceId = m.nullableString(flex);
      const reason = v >= 5 ? m.nullableString(flex) : null;
      m.taggedFields(flex);
      return { memberId, groupInstanceId, reason };
    }, flex);
  }
  d.taggedFields(flex);
  return { groupId, members };
}

export function encodeLeaveGroupResponse(e: Encoder, res: LeaveGroupResponse, v: number): void {
  const flex = v >= 4;
  if (v >= 1) e.int32(res.throttleTimeMs);
  e.int16(res.errorCode);
  if (v >= 3) {
    e.array(
      res.members,
      (e2, m) => {
        e2.string(m.memberId, flex)
          .nullableString(m.groupInstanceId, flex)
          .int16(m.errorCode)
          .taggedFields(flex);
      },
      flex,
    );
  }
  e.taggedFields(flex);
}
