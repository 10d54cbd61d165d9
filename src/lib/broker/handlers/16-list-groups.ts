// ListGroups (key 16), versions 0-5; kafkajs uses v2, Kafka 4's admin client v5. v4 filters by
// state (KIP-518, case-insensitive as in Kafka), v5 by group type (KIP-848): all our groups are
// "classic". Groups that only hold committed offsets are listed too (protocol type "").
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeListGroupsRequest,
  encodeListGroupsResponse,
  type ListGroupsRequest,
  type ListGroupsResponse,
} from '../protocol/messages/16-list-groups.js';
import type { ApiHandler } from './types.js';

export const listGroupsHandler: ApiHandler<ListGroupsRequest, ListGroupsResponse> = {
  apiKey: 16,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 3,
  decode: decodeListGroupsRequest,
  encode: encodeListGroupsResponse,
  handle(req, _v, ctx) {
    const types = req.typesFilter.map((t) => t.toLowerCase());
    if (types.length > 0 && !types.includes('classic')) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: [] };
    }
    const groups = ctx.groups.listGroups(req.statesFilter).map((g) => ({
      groupId: g.groupId,
      protocolType: g.protocolType,
      groupState: g.state,
      groupType: 'classic',
    }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
  },
};
