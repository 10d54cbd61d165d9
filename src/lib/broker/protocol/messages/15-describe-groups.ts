import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// DescribeGroups (key 15), versions 0-5; flexible from v5 (DescribeGroupsRequest/Response.json).

export interface DescribeGroupsRequest {
  groups: string[];
  includeAuthorizedOperations: boolean;
}

export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: DescribedGroupMember[];
  authorizedOperations: number;
}

export interface DescribeGroupsResponse {
  throttleTimeMs: number;
  groups: DescribedGroup[];
}

export function decodeDescribeGroupsRequest(d: Decoder, v: number): DescribeGroupsRequest {
  const flex = v >= 5;
  const groups = d.array((x) => x.string(flex), flex);
  const includeAuthorizedOperations = v >= 3 ? d.boolean() : false;
  d.taggedFields(flex);
  return { groups, includeAuthorizedOperations };
}

export function encodeDescribeGroupsResponse(e: Encoder, res: DescribeGroupsResponse, v: number): void {
  const flex = v >= 5;
  if (v >= 1) e.int32(res.throttleTimeMs);
  e.array(
    res.groups,
    (e2, g) => {
      e2.int16(g.errorCode).string(g.groupId, flex).string(g.groupState, flex);
      e2.string(g.protocolType, flex).string(g.protocolData, flex);
      e2.array(
        g.members,
        (e3, m) => {
          e3.string(m.memberId, flex);
          if (v >= 4) e3.nullableString(m.groupInstanceId, flex);
          e3.string(m.clientId, flex).string(m.clientHost, flex);
          e3.bytes(m.memberMetadata, flex).bytes(m.memberAssignment, flex).taggedFields(flex);
        },
        flex,
      );
      if (v >= 3) e2.int32(g.authorizedOperations);
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}
