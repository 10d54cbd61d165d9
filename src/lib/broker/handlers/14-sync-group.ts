// SyncGroup (key 14), versions 0-5; kafkajs uses v3, Kafka 4's Java consumer v5 (which also
// sends the protocol type and name, checked against the group's: KIP-559). Followers' answers
// wait until the leader has sent the assignment.
import {
  decodeSyncGroupRequest,
  encodeSyncGroupResponse,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from '../protocol/messages/14-sync-group.js';
import type { ApiHandler } from './types.js';

export const syncGroupHandler: ApiHandler<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 4,
  decode: decodeSyncGroupRequest,
  encode: encodeSyncGroupResponse,
  async handle(req, _v, ctx) {
    const r = await ctx.groups.syncGroup(req);
    return { throttleTimeMs: 0, ...r };
  },
};
