// FindCoordinator (key 10), versions 0-6, as Kafka 4.4 serves them (librdkafka 2.0.2 only
// enables consumer groups when v0 is in range). v4+ asks for many keys at once (KIP-699): kafkajs uses v2, librdkafka 2.0.2 v2, Kafka 4's Java clients v4+. We are the
// coordinator of every group. Transactions (key type 1) are not implemented, so their
// coordinator is "not available" (a retriable code); share groups (type 2, KIP-932) are unknown
// to us, answered INVALID_REQUEST.
import type { BrokerContext } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeFindCoordinatorRequest,
  encodeFindCoordinatorResponse,
  type Coordinator,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
} from '../protocol/messages/10-find-coordinator.js';
import type { ApiHandler } from './types.js';

const GROUP = 0;
const TRANSACTION = 1;

function answer(ctx: BrokerContext, keyType: number, key: string): Coordinator {
  if (keyType === GROUP) {
    const { nodeId, host, port } = ctx.identity;
    return { key, nodeId, host, port, errorCode: ErrorCode.NONE, errorMessage: null };
  }
  const none = { key, nodeId: -1, host: '', port: -1 };
  if (keyType === TRANSACTION) {
    return {
      ...none,
      errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      errorMessage: 'Transactions are not supported by this broker.',
    };
  }
  return { ...none, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown key type ${keyType}.` };
}

export const findCoordinatorHandler: ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> = {
  apiKey: 10,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 6,
  flexibleFrom: 3,
  decode: decodeFindCoordinatorRequest,
  encode: encodeFindCoordinatorResponse,
  handle(req, _v, ctx) {
    return { throttleTimeMs: 0, coordinators: req.keys.map((k) => answer(ctx, req.keyType, k)) };
  },
};
