import { Decoder } from '../protocol/decoder.js';
import { Encoder } from '../protocol/encoder.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/**
 * Request header v1 (RequestHeader.json): key, version, correlation id, client id. The client id
 * keeps its int16 length even in header v2 ("flexibleVersions": "none" on the field); the tagged
 * fields of v2 follow it and are read by the caller once it knows the API version is flexible.
 * Header v0 (no client id) was only ever used by ControlledShutdown v0, which we do not serve.
 */
export function readRequestHeader(d: Decoder): RequestHeader {
  const apiKey = d.int16();
  const apiVersion = d.int16();
  const correlationId = d.int32();
  const clientId = d.nullableString();
  return { apiKey, apiVersion, correlationId, clientId };
}

/**
 * Starts a response: a 4-byte size placeholder, the correlation id, and for response header v1
 * (flexible versions) an empty tagged-field section. ApiVersions always answers with header v0
 * so that a client that does not yet know our versions can read it (KIP-511).
 */
export function startResponse(correlationId: number, flexibleHeader: boolean, sizeHint = 512): Encoder {
  const e = new Encoder(sizeHint);
  e.int32(0).int32(correlationId).taggedFields(flexibleHeader);
  return e;
}

/** Completes a response started by startResponse: patches the size prefix, returns the chunks. */
export function finishResponse(e: Encoder): Buffer[] {
  const parts = e.chunks();
  // The first chunk always holds the 4-byte placeholder: it was written into a fresh buffer of
  // at least 8 bytes, before anything could seal it.
  (parts[0] as Buffer).writeInt32BE(e.length - 4, 0);
  return parts;
}
