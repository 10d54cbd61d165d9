// DeleteGroups (key 42), versions 0-2 (v0 = v1); kafkajs uses v1, Kafka 4's admin
// client v2. Only an Empty group can go (NON_EMPTY_GROUP otherwise); an unknown one answers
// GROUP_ID_NOT_FOUND. Its committed offsets go with it.
import {
  decodeDeleteGroupsRequest,
  encodeDeleteGroupsResponse,
  type DeleteGroupsRequest,
  type DeleteGroupsResponse,
} from '../protocol/messages/42-delete-groups.js';
import type { ApiHandler } from './types.js';

export const deleteGroupsHandler: ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse> = {
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  decode: decodeDeleteGroupsRequest,
  encode: encodeDeleteGroupsResponse,
  async handle(req, _v, ctx) {
    return { throttleTimeMs: 0, results: await ctx.groups.deleteGroups(req.groupsNames) };
  },
};
