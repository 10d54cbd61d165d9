// DescribeGroups (key 15), versions 0-5; kafkajs uses v2, Kafka 4's admin client v5. State
// names are Kafka's; protocol, member metadata and assignments are only filled in when the group
// is Stable, and an unknown group is described as Dead with no error (as Kafka does below v6).
// No ACLs: when authorized operations are asked for, every group operation is allowed.
import { ErrorCode } from '../protocol/error-codes.js';
import { AUTHORIZED_OPERATIONS_OMITTED } from '../protocol/messages/03-metadata.js';
import {
  decodeDescribeGroupsRequest,
  encodeDescribeGroupsResponse,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
} from '../protocol/messages/15-describe-groups.js';
import type { ApiHandler } from './types.js';

/** READ (3), DELETE (6), DESCRIBE (8): the ACL operations a group has (AclOperation codes). */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

export const describeGroupsHandler: ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse> = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 5,
  decode: decodeDescribeGroupsRequest,
  encode: encodeDescribeGroupsResponse,
  handle(req, _v, ctx) {
    const groups = req.groups.map((id) => {
      const g = id === '' ? null : ctx.groups.describeGroup(id);
      return {
        errorCode: g ? g.errorCode : ErrorCode.INVALID_GROUP_ID,
        groupId: id,
        groupState: g ? g.state : 'Dead',
        protocolType: g ? g.protocolType : '',
        protocolData: g ? g.protocol : '',
        members: (g?.members ?? []).map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
        authorizedOperations: req.includeAuthorizedOperations
          ? GROUP_OPERATIONS
          : AUTHORIZED_OPERATIONS_OMITTED,
      };
    });
    return { throttleTimeMs: 0, groups };
  },
};
