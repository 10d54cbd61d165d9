import type { Decoder } from '../decoder.js';
import type { Encoder } from '../encoder.js';

// ApiVersions (key 18), versions 0-4; flexible from v3 (ApiVersionsRequest.json).

export interface ApiVersionsRequest {
  /** v3+ (KIP-511); null before. */
  clientSoftwareName: string | null;
  clientSoftwareVersion: string | null;
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  throttleTimeMs: number;
}

export function decodeApiVersionsRequest(d: Decoder, version: number): ApiVersionsRequest {
  if (version < 3) return { clientSoftwareName: null, clientSoftwareVersion: null };
  const clientSoftwareName = d.compactString();
  const clientSoftwareVersion = d.compactString();
  d.taggedFields();
  return { clientSoftwareName, clientSoftwareVersion };
}

export function encodeApiVersionsResponse(e: Encoder, res: ApiVersionsResponse, version: number): void {
  const flex = version >= 3;
  e.int16(res.errorCode);
  e.array(
    res.apiKeys,
    (e2, k) => {
      e2.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion).taggedFields(flex);
    },
    flex,
  );
  if (version >= 1) e.int32(res.throttleTimeMs);
  // SupportedFeatures / FinalizedFeatures are tagged and optional; a single node without
  // feature flags leaves them out, which clients read as "no features".
  e.taggedFields(flex);
}
