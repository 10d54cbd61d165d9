import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// FindCoordinator (key 10), versions 0-6; flexible from v3; v4+ batches keys (KIP-699)
// (FindCoordinatorRequest/Response.json).

export interface FindCoordinatorRequest {
  /** 0 group, 1 transaction, 2 share group (v6+). */
  keyType: number;
  /** One key below v4; the CoordinatorKeys list from v4. */
  keys: string[];
}

export interface Coordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  /** Exactly one below v4 (the fields then sit at the top level). */
  coordinators: Coordinator[];
}

export function decodeFindCoordinatorRequest(d: Decoder, v: number): FindCoordinatorRequest {
  const flex = v >= 3;
  const key = v <= 3 ? d.string(flex) : null;
  const keyType = v >= 1 ? d.int8() : 0;
  const keys = v >= 4 ? d.array((x) => x.string(true), true) : [key as string];
  d.taggedFields(flex);
  return { keyType, keys };
}

export function encodeFindCoordinatorResponse(e: Encoder, res: FindCoordinatorResponse, v: number): void {
  const flex = v >= 3;
  if (v >= 1) e.int32(res.throttleTimeMs);
  if (v <= 3) {
    const c = res.coordinators[0] as Coordinator;
    e.int16(c.errorCode);
    if (v >= 1) e.nullableString(c.errorMessage, flex);
    e.int32(c.nodeId).string(c.host, flex).int32(c.port);
  } else {
    e.compactArray(res.coordinators, (e2, c) => {
      e2.compactString(c.key).int32(c.nodeId).compactString(c.host).int32(c.port);
      e2.int16(c.errorCode).compactNullableString(c.errorMessage).taggedFields();
    });
  }
  e.taggedFields(flex);
}
