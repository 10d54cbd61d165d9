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

/**
 * Thrown by a handler to have the server drop the connection without an answer, for the cases
 * where Kafka does so on purpose (a failed Produce with acks=0: the client learns of the error
 * only by the closed connection, and refreshes its metadata).
 */
export class CloseConnection extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CloseConnection';
  }
}
