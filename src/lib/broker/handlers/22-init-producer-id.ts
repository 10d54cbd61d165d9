// InitProducerId (key 22), versions 0-5: gives idempotent producers an id (epoch 0). Ids come
// from ctx.producerIds, which persists its counter so ids are not reused after a restart.
// A producer that already has an id (v3+, KIP-360) gets the same id with the next epoch, or a
// new id when the epoch would overflow. Transactions are not supported: a transactional id
// answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED, a fatal error that says so plainly to the client.
import type { BrokerContext, ProducerIdSource } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeInitProducerIdRequest,
  encodeInitProducerIdResponse,
  type InitProducerIdRequest,
  type InitProducerIdResponse,
} from '../protocol/messages/22-init-producer-id.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf } from './util.js';

const MAX_EPOCH = 32767;

/** Used when the context brings no persistent source (tests): ids start at 1000 per process. */
let fallbackNext = 1000n;
const memorySource: ProducerIdSource = { next: () => Promise.resolve(fallbackNext++) };

function sourceOf(ctx: BrokerContext): ProducerIdSource {
  return ctx.producerIds ?? memorySource;
}

export const initProducerIdHandler: ApiHandler<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: 22,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 2,
  decode: decodeInitProducerIdRequest,
  encode: encodeInitProducerIdResponse,
  async handle(req, _v, ctx) {
    const base = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: -1n, producerEpoch: -1 };
    if (req.transactionalId !== null) {
      return { ...base, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    }
    if (req.producerId >= 0n && req.producerEpoch >= 0 && req.producerEpoch < MAX_EPOCH) {
      return { ...base, producerId: req.producerId, producerEpoch: req.producerEpoch + 1 };
    }
    try {
      return { ...base, producerId: await sourceOf(ctx).next(), producerEpoch: 0 };
    } catch (err) {
      return { ...base, errorCode: errorCodeOf(err) };
    }
  },
};
