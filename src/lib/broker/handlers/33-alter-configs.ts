// AlterConfigs (key 33), versions 0-2: replaces a topic's whole config set (keys left out go back
// to their defaults, as Kafka's legacy AlterConfigs does). Broker configs are read-only here and
// answer INVALID_REQUEST. validateOnly only checks that the resource exists: config values are
// validated by the log when they are applied.
import type { BrokerContext } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeAlterConfigsRequest,
  encodeAlterConfigsResponse,
  type AlterConfigsRequest,
  type AlterConfigsResourceResponse,
  type AlterConfigsResponse,
} from '../protocol/messages/33-alter-configs.js';
import { ResourceType } from './broker-configs.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf, errorMessageOf } from './util.js';

/** Applies `changes` to a topic resource; shared with IncrementalAlterConfigs. */
export function alterTopicConfigs(
  ctx: BrokerContext,
  resourceType: number,
  resourceName: string,
  validateOnly: boolean,
  changes: () => Record<string, string | null>,
  replace: boolean,
): AlterConfigsResourceResponse {
  const base = { resourceType, resourceName, errorCode: ErrorCode.NONE, errorMessage: null };
  if (resourceType !== ResourceType.TOPIC) {
    return {
      ...base,
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Only topic configs can be altered on this broker; broker configs are read-only.',
    };
  }
  if (!ctx.log.getTopic(resourceName)) {
    return {
      ...base,
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: `Topic ${resourceName} does not exist.`,
    };
  }
  try {
    const c = changes();
    if (!validateOnly) ctx.log.alterConfigs(resourceName, c, replace);
    return base;
  } catch (err) {
    return { ...base, errorCode: errorCodeOf(err), errorMessage: errorMessageOf(err) };
  }
}

export const alterConfigsHandler: ApiHandler<AlterConfigsRequest, AlterConfigsResponse> = {
  apiKey: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  decode: decodeAlterConfigsRequest,
  encode: encodeAlterConfigsResponse,
  handle(req, _v, ctx) {
    const responses = req.resources.map((r) =>
      alterTopicConfigs(
        ctx,
        r.resourceType,
        r.resourceName,
        req.validateOnly,
        () => Object.fromEntries(r.configs.map((c) => [c.name, c.value])),
        true,
      ),
    );
    return { throttleTimeMs: 0, responses };
  },
};
