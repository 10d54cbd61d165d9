import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// InitProducerId (key 22), versions 0-5; flexible from v2 (InitProducerIdRequest/Response.json).

export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
  /** v3+ (KIP-360): the id and epoch the producer already has, or -1. */
  producerId: bigint;
  producerEpoch: number;
}

export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}

export function decodeInitProducerIdRequest(d: Decoder, v: number): InitProducerIdRequest {
  const flex = v >= 2;
  const transactionalId = d.nullableString(flex);
  const transactionTimeoutMs = d.int32();
  const producerId = v >= 3 ? d.int64() : -1n;
  const producerEpoch = v >= 3 ? d.int16() : -1;
  d.taggedFields(flex);
  return { transactionalId, transactionTimeoutMs, producerId, producerEpoch };
}

export function encodeInitProducerIdResponse(e: Encoder, res: InitProducerIdResponse, v: number): void {
  const flex = v >= 2;
  e.int32(res.throttleTimeMs).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
  e.taggedFields(flex);
}
