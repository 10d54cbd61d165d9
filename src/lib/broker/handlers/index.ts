// The one table of APIs we serve. The server dispatches from it and ApiVersions advertises it,
// so the two cannot disagree. To add an API: write its codec in protocol/messages/NN-name.ts,
// its handler in handlers/NN-name.ts, and add it to `table` below.
import type { ApiVersionRange } from '../protocol/messages/18-api-versions.js';
import { produceHandler } from './00-produce.js';
import { fetchHandler } from './01-fetch.js';
import { listOffsetsHandler } from './02-list-offsets.js';
import { metadataHandler } from './03-metadata.js';
import { offsetCommitHandler } from './08-offset-commit.js';
import { offsetFetchHandler } from './09-offset-fetch.js';
import { findCoordinatorHandler } from './10-find-coordinator.js';
import { joinGroupHandler } from './11-join-group.js';
import { heartbeatHandler } from './12-heartbeat.js';
import { leaveGroupHandler } from './13-leave-group.js';
import { syncGroupHandler } from './14-sync-group.js';
import { describeGroupsHandler } from './15-describe-groups.js';
import { listGroupsHandler } from './16-list-groups.js';
import { createApiVersionsHandler } from './18-api-versions.js';
import { createTopicsHandler } from './19-create-topics.js';
import { deleteTopicsHandler } from './20-delete-topics.js';
import { deleteRecordsHandler } from './21-delete-records.js';
import { initProducerIdHandler } from './22-init-producer-id.js';
import { describeConfigsHandler } from './32-describe-configs.js';
import { alterConfigsHandler } from './33-alter-configs.js';
import { createPartitionsHandler } from './37-create-partitions.js';
import { deleteGroupsHandler } from './42-delete-groups.js';
import { incrementalAlterConfigsHandler } from './44-incremental-alter-configs.js';
import { offsetDeleteHandler } from './47-offset-delete.js';
import { describeClusterHandler } from './60-describe-cluster.js';
import type { ApiHandler } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table mixes handlers of every request/response type; each pairs its own decode, handle and encode
export type AnyApiHandler = ApiHandler<any, any>;

const table: AnyApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  // Group APIs: classic group coordinator and committed offsets.
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  deleteGroupsHandler,
  offsetDeleteHandler,
  createApiVersionsHandler(() => apiRanges()),
  createTopicsHandler,
  deleteTopicsHandler,
  deleteRecordsHandler,
  initProducerIdHandler,
  describeConfigsHandler,
  alterConfigsHandler,
  createPartitionsHandler,
  incrementalAlterConfigsHandler,
  describeClusterHandler,
];

export const handlers: readonly AnyApiHandler[] = [...table].sort((a, b) => a.apiKey - b.apiKey);

const byKey = new Map<number, AnyApiHandler>(handlers.map((h) => [h.apiKey, h]));

export function handlerFor(apiKey: number): AnyApiHandler | undefined {
  return byKey.get(apiKey);
}

export function apiRanges(): ApiVersionRange[] {
  return handlers.map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }));
}
