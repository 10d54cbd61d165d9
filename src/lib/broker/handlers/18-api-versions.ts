// ApiVersions (key 18), versions 0-4. The answer is built from the handler table
// (handlers/index.ts), so what we advertise is exactly what we can decode. An ApiVersions request
// in a version we do not know is answered by the server itself with UNSUPPORTED_VERSION in a v0
// body (KIP-511), so the client can retry with a version from our ranges.
import {
  decodeApiVersionsRequest,
  encodeApiVersionsResponse,
  type ApiVersionRange,
  type ApiVersionsRequest,
  type ApiVersionsResponse,
} from '../protocol/messages/18-api-versions.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ApiHandler } from './types.js';

export function createApiVersionsHandler(
  ranges: () => readonly ApiVersionRange[],
): ApiHandler<ApiVersionsRequest, ApiVersionsResponse> {
  return {
    apiKey: 18,
    name: 'ApiVersions',
    minVersion: 0,
    maxVersion: 4,
    flexibleFrom: 3,
    decode: decodeApiVersionsRequest,
    encode: encodeApiVersionsResponse,
    handle: () => ({ errorCode: ErrorCode.NONE, apiKeys: [...ranges()], throttleTimeMs: 0 }),
  };
}
