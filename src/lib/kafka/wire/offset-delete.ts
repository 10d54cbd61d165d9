/**
 * OffsetDelete (API key 47, KIP-496), version 0 only (the only version Kafka defines). kafkajs
 * 2.2.4 has no request for it, so this is our codec, sent as a kafkajs request object through a
 * kafkajs broker connection (`{ apiKey, apiVersion, apiName, encode }` with `{ decode, parse }`).
 *
 *   request:  group_id STRING, topics ARRAY(name STRING, partitions ARRAY(INT32))
 *   response: error_code INT16, throttle_time_ms INT32,
 *             topics ARRAY(name STRING, partitions ARRAY(partition INT32, error_code INT16))
 *
 * Not a flexible version: plain INT16-length strings and INT32-count arrays, no tagged fields.
 */

import { Reader, WireFormatError } from './bytes.js';

export const OFFSET_DELETE_API_KEY = 47;
export const OFFSET_DELETE_VERSION = 0;

export interface OffsetDeleteRequest {
  groupId: string;
  topics: { name: string; partitions: number[] }[];
}

export interface OffsetDeleteResponse {
  errorCode: number;
  throttleTimeMs: number;
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[];
}

export function encodeOffsetDeleteRequest(req: OffsetDeleteRequest): Buffer {
  const parts: Buffer[] = [str(req.groupId), int32(req.topics.length)];
  for (const t of req.topics) {
    parts.push(str(t.name), int32(t.partitions.length));
    for (const p of t.partitions) parts.push(int32(p));
  }
  return Buffer.concat(parts);
}

/** A short or malformed response is a RangeError, never garbage. */
export function decodeOffsetDeleteResponse(buf: Buffer): OffsetDeleteResponse {
  const r = new Reader(buf);
  const array = <T>(item: () => T): T[] => {
    const n = r.int32();
    if (n < 0) return [];
    // Each element takes at least 2 bytes; a count larger than the rest of the buffer is malformed.
    if (n > buf.length - r.pos) throw new RangeError(`OffsetDelete response: bad array length ${n}`);
    return Array.from({ length: n }, item);
  };
  try {
    const errorCode = r.int16();
    const throttleTimeMs = r.int32();
    const topics = array(() => ({
      name: r.string(),
      partitions: array(() => ({ partition: r.int32(), errorCode: r.int16() })),
    }));
    return { errorCode, throttleTimeMs, topics };
  } catch (err) {
    if (err instanceof WireFormatError) throw new RangeError(`OffsetDelete response: ${err.message}`);
    throw err;
  }
}

/** What kafkajs's connection sends: `encode()` must yield an object with `buf` and `buffer`. */
class Payload {
  constructor(readonly buf: Buffer) {}
  get buffer(): Buffer {
    return this.buf;
  }
}

/**
 * A request object kafkajs's Broker/connection can send. `parse` returns the response as is:
 * the caller turns error codes into messages, since a partition-level GROUP_SUBSCRIBED_TO_TOPIC
 * is an answer to show, not a failure of the request.
 */
export function offsetDeleteRequest(req: OffsetDeleteRequest) {
  return {
    request: {
      apiKey: OFFSET_DELETE_API_KEY,
      apiVersion: OFFSET_DELETE_VERSION,
      apiName: 'OffsetDelete',
      encode: async () => new Payload(encodeOffsetDeleteRequest(req)),
    },
    response: {
      decode: async (payload: Buffer) => decodeOffsetDeleteResponse(payload),
      parse: async (data: OffsetDeleteResponse) => data,
    },
  };
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function str(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  if (body.length > 0x7fff)
    throw new RangeError(`string of ${body.length} bytes is too long for INT16 length`);
  const len = Buffer.alloc(2);
  len.writeInt16BE(body.length);
  return Buffer.concat([len, body]);
}
