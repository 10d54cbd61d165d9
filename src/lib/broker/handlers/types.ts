import type { Decoder } from '../protocol/decoder.js';
import type { Encoder } from '../protocol/encoder.js';
import type { BrokerContext } from '../context.js';

/** What the server knows about the connection a request arrived on. */
export interface ConnectionInfo {
  readonly id: number;
  readonly clientId: string | null;
  readonly clientHost: string;
}

/**
 * One Kafka API. Handlers never touch bytes: `decode`/`encode` live in the codec module of
 * the API (src/lib/broker/protocol/messages/NN-name.ts) and are only referenced here.
 * `minVersion..maxVersion` is what ApiVersions advertises, so the two cannot drift apart.
 */
export interface ApiHandler<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible (compact, tagged-field) version, or Infinity when none is served. */
  readonly flexibleFrom: number;
  decode(dec: Decoder, version: number): Req;
  encode(enc: Encoder, res: Res, version: number): void;
  handle(req: Req, version: number, ctx: BrokerContext, conn: ConnectionInfo): Res | Promise<Res>;
  /** False when the client expects no answer (Produce with acks=0); absent means always answer. */
  expectsResponse?(req: Req): boolean;
}
