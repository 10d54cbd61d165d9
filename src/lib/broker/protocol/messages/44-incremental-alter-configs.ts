import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';
import { encodeAlterConfigsResponseBody, type AlterConfigsResponse } from './33-alter-configs.js';

// IncrementalAlterConfigs (key 44, KIP-339), versions 0-1; flexible from v1
// (IncrementalAlterConfigsRequest/Response.json). Response shape as AlterConfigs.

/** ConfigOperation: 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT (the last two for list configs). */
export const ConfigOperation = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface IncrementalAlterableConfig {
  name: string;
  configOperation: number;
  value: string | null;
}

export interface IncrementalAlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: IncrementalAlterableConfig[];
}

export interface IncrementalAlterConfigsRequest {
  resources: IncrementalAlterConfigsResource[];
  validateOnly: boolean;
}

export function decodeIncrementalAlterConfigsRequest(d: Decoder, v: number): IncrementalAlterConfigsRequest {
  const flex = v >= 1;
  const resources = d.array((r) => {
    const resourceType = r.int8();
    const resourceName = r.string(flex);
    const configs = r.array((c) => {
      const name = c.string(flex);
      const configOperation = c.int8();
      const value = c.nullableString(flex);
      c.taggedFields(flex);
      return { name, configOperation, value };
    }, flex);
    r.taggedFields(flex);
    return { resourceType, resourceName, configs };
  }, flex);
  const validateOnly = d.boolean();
  d.taggedFields(flex);
  return { resources, validateOnly };
}

export function encodeIncrementalAlterConfigsResponse(
  e: Encoder,
  res: AlterConfigsResponse,
  v: number,
): void {
  encodeAlterConfigsResponseBody(e, res, v >= 1);
}
