// LeaveGroup (key 13), versions 0-5; kafkajs uses v3, Kafka 4's Java clients v5. v3+ removes a
// batch of members (KIP-345; the admin client removes static members by instance id). Below v3
// the one member's error is the top-level error, as Kafka's LeaveGroupResponse does.
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeLeaveGroupRequest,
  encodeLeaveGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
} from '../protocol/messages/13-leave-group.js';
import type { ApiHandler } from './types.js';

export const leaveGroupHandler: ApiHandler<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 4,
  decode: decodeLeaveGroupRequest,
  encode: encodeLeaveGroupResponse,
  handle(req, v, ctx) {
    const r = ctx.groups.leaveGroup(req.groupId, req.members);
    let errorCode = r.errorCode;
    if (v < 3 && errorCode === ErrorCode.NONE) errorCode = r.members[0]?.errorCode ?? ErrorCode.NONE;
    return { throttleTimeMs: 0, errorCode, members: r.members };
  },
};
