import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// DescribeConfigs (key 32), versions 0-4; flexible from v4 (DescribeConfigsRequest/Response.json).

export interface DescribeConfigsResource {
  resourceType: number;
  resourceName: string;
  /** null = every config. */
  configurationKeys: string[] | null;
}

export interface DescribeConfigsRequest {
  resources: DescribeConfigsResource[];
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

export interface DescribeConfigsSynonym {
  name: string;
  value: string | null;
  source: number;
}

export interface DescribeConfigsEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** v0 only; later versions say it with configSource. */
  isDefault: boolean;
  configSource: number;
  isSensitive: boolean;
  synonyms: DescribeConfigsSynonym[];
  configType: number;
  documentation: string | null;
}

export interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsEntry[];
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}

export function decodeDescribeConfigsRequest(d: Decoder, v: number): DescribeConfigsRequest {
  const flex = v >= 4;
  const resources = d.array((r) => {
    const resourceType = r.int8();
    const resourceName = r.string(flex);
    const configurationKeys = r.nullableArray((k) => k.string(flex), flex);
    r.taggedFields(flex);
    return { resourceType, resourceName, configurationKeys };
  }, flex);
  const includeSynonyms = v >= 1 ? d.boolean() : false;
  const includeDocumentation = v >= 3 ? d.boolean() : false;
  d.taggedFields(flex);
  return { resources, includeSynonyms, includeDocumentation };
}

export function encodeDescribeConfigsResponse(e: Encoder, res: DescribeConfigsResponse, v: number): void {
  const flex = v >= 4;
  e.int32(res.throttleTimeMs);
  e.array(
    res.results,
    (e2, r) => {
      e2.int16(r.errorCode)
        .nullableString(r.errorMessage, flex)
        .int8(r.resourceType)
        .string(r.resourceName, flex);
      e2.array(r.configs, (e3, c) => encodeEntry(e3, c, v), flex);
      e2.taggedFields(flex);
    },
    flex,
  );
  e.taggedFields(flex);
}

function encodeEntry(e: Encoder, c: DescribeConfigsEntry, v: number): void {
  const flex = v >= 4;
  e.string(c.name, flex).nullableString(c.value, flex).boolean(c.readOnly);
  if (v === 0) e.boolean(c.isDefault);
  else e.int8(c.configSource);
  e.boolean(c.isSensitive);
  if (v >= 1) {
    e.array(
      c.synonyms,
      (e2, s) => {
        e2.string(s.name, flex).nullableString(s.value, flex).int8(s.source).taggedFields(flex);
      },
      flex,
    );
  }
  if (v >= 3) e.int8(c.configType).nullableString(c.documentation, flex);
  e.taggedFields(flex);
}
