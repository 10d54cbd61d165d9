import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// AlterConfigs (key 33), versions 0-2; flexible from v2 (AlterConfigsRequest/Response.json).
// The response shape is shared with IncrementalAlterConfigs (key 44).

export interface AlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: { name: string; value: string | null }[];
}

export interface AlterConfigsRequest {
  resources: AlterConfigsResource[];
  validateOnly: boolean;
}

export interface AlterConfigsResourceResponse {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: AlterConfigsResourceResponse[];
}

export function decodeAlterConfigsRequest(d: Decoder, v: number): AlterConfigsRequest {
  const flex = v >= 2;
  const resources = d.array((r) => {
    const resourceType = r.int8();
    const resourceName = r.string(flex);
    const configs = r.array((c) => {
      const name = c.string(flex);
      const value = c.nullableString(flex);
      c.taggedFields(flex);
      return { name, value };
    }, flex);
    r.taggedFields(flex);
    return { resourceType, resourceName, configs };
  }, flex);
  const validateOnly = d.boolean();
  d.taggedFields(flex);
  return { resources, validateOnly };
}

/** Encodes the AlterConfigs / IncrementalAlterConfigs response; `flex` per the API's own rule. */
export function encodeAlterConfigsResponseBody(e: Encoder, res: AlterConfigsResponse, flex: boolean): void {
  e.int32(res.throttleTimeMs);
  e.array(
    res.responses,
    (e2, r) => {
      e2.int16(r.errorCode)
        .nullableString(r.errorMessage, flex)
        .int8(r.resourceType)
        .string(r.resourceName, flex);
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}

export function encodeAlterConfigsResponse(e: Encoder, res: AlterConfigsResponse, v: number): void {
  encodeAlterConfigsResponseBody(e, res, v >= 2);
}
