// CreatePartitions (key 37), versions 0-3. Grows a topic's partition count; a count that is not
// larger answers INVALID_PARTITIONS (from the log). Manual assignments may only name us.
// validateOnly checks without growing.
import type { BrokerContext } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeCreatePartitionsRequest,
  encodeCreatePartitionsResponse,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type CreatePartitionsResult,
  type CreatePartitionsTopic,
} from '../protocol/messages/37-create-partitions.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf, errorMessageOf, MAX_PARTITIONS_PER_TOPIC } from './util.js';

function growOne(
  ctx: BrokerContext,
  t: CreatePartitionsTopic,
  validateOnly: boolean,
): CreatePartitionsResult {
  const info = ctx.log.getTopic(t.name);
  if (!info) {
    return {
      name: t.name,
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: `Topic '${t.name}' does not exist.`,
    };
  }
  const nodeId = ctx.identity.nodeId;
  if (t.assignments?.some((a) => a.brokerIds.some((b) => b !== nodeId))) {
    return {
      name: t.name,
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: `Only broker ${nodeId} exists.`,
    };
  }
  if (t.count <= info.partitions) {
    return {
      name: t.name,
      errorCode: ErrorCode.INVALID_PARTITIONS,
      errorMessage: `Topic currently has ${info.partitions} partitions, which is higher than the requested ${t.count}.`,
    };
  }
  if (t.count > MAX_PARTITIONS_PER_TOPIC) {
    return {
      name: t.name,
      errorCode: ErrorCode.INVALID_PARTITIONS,
      errorMessage: `At most ${MAX_PARTITIONS_PER_TOPIC} partitions per topic.`,
    };
  }
  if (validateOnly) return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
  try {
    ctx.log.createPartitions(t.name, t.count);
    return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
  } catch (err) {
    return { name: t.name, errorCode: errorCodeOf(err), errorMessage: errorMessageOf(err) };
  }
}

export const createPartitionsHandler: ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse> = {
  apiKey: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  flexibleFrom: 2,
  decode: decodeCreatePartitionsRequest,
  encode: encodeCreatePartitionsResponse,
  handle(req, _v, ctx) {
    return { throttleTimeMs: 0, results: req.topics.map((t) => growOne(ctx, t, req.validateOnly)) };
  },
};
