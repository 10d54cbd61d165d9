// The one table of APIs we serve. The server dispatches from it and ApiVersions advertises it,
// so the two cannot disagree. To add an API: write its codec in protocol/messages/NN-name.ts,
// its handler in handlers/NN-name.ts, and add it here (sorted by key).
import type { ApiVersionRange } from '../protocol/messages/18-api-versions.js';
import { createApiVersionsHandler } from './18-api-versions.js';
import type { ApiHandler } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table mixes handlers of every request/response type; each pairs its own decode, handle and encode
export type AnyApiHandler = ApiHandler<any, any>;

const apiVersions = createApiVersionsHandler(() => apiRanges());

export const handlers: readonly AnyApiHandler[] = [apiVersions].sort((a, b) => a.apiKey - b.apiKey);

const byKey = new Map<number, AnyApiHandler>(handlers.map((h) => [h.apiKey, h]));

export function handlerFor(apiKey: number): AnyApiHandler | undefined {
  return byKey.get(apiKey);
}

export function apiRanges(): ApiVersionRange[] {
  return handlers.map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }));
}
