// JoinGroup (key 11), versions 0-9, as Kafka 4.4 serves them (librdkafka 2.0.2 needs v0 in range
// to enable consumer groups); kafkajs uses v5, librdkafka
// 2.0.2 v5, Kafka 4's Java consumer v9. From v4 a member without an id first gets
// MEMBER_ID_REQUIRED and its id (KIP-394). The answer may wait for the rebalance (up to the
// rebalance timeout); the coordinator resolves it. v9's SkipAssignment is always false: static
// leaders rejoining still run the assignment.
import {
  decodeJoinGroupRequest,
  encodeJoinGroupResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
} from '../protocol/messages/11-join-group.js';
import { clientHostOf } from './group-util.js';
import type { ApiHandler } from './types.js';

export const joinGroupHandler: ApiHandler<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  flexibleFrom: 6,
  decode: decodeJoinGroupRequest,
  encode: encodeJoinGroupResponse,
  async handle(req, v, ctx, conn) {
    const r = await ctx.groups.joinGroup({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: conn.clientId ?? '',
      clientHost: clientHostOf(conn),
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      requireKnownMemberId: v >= 4,
    });
    return { throttleTimeMs: 0, ...r };
  },
};
