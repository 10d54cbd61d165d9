// Heartbeat (key 12), versions 0-4; kafkajs uses v3, Kafka 4's Java consumer v4. Answers
// REBALANCE_IN_PROGRESS while the group prepares a rebalance, which is how members learn to
// rejoin; every accepted heartbeat restarts the member's session timer.
import {
  decodeHeartbeatRequest,
  encodeHeartbeatResponse,
  type HeartbeatRequest,
  type HeartbeatResponse,
} from '../protocol/messages/12-heartbeat.js';
import type { ApiHandler } from './types.js';

export const heartbeatHandler: ApiHandler<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 4,
  decode: decodeHeartbeatRequest,
  encode: encodeHeartbeatResponse,
  handle(req, _v, ctx) {
    return { throttleTimeMs: 0, errorCode: ctx.groups.heartbeat(req) };
  },
};
