// DescribeConfigs (key 32), versions 0-4. Topic resources come from the log (effective values,
// with "default" or "dynamic topic" as their source). The broker resource (type 4, named by our
// node id or '') answers a small read-only set (broker-configs.ts). Each config has one source
// here, so with IncludeSynonyms it is listed as its own only synonym. Config types are UNKNOWN
// (0) and documentation null. Broker loggers (type 8) answer INVALID_REQUEST: there are no log4j
// loggers to show.
import type { BrokerContext } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeDescribeConfigsRequest,
  encodeDescribeConfigsResponse,
  type DescribeConfigsEntry,
  type DescribeConfigsRequest,
  type DescribeConfigsResource,
  type DescribeConfigsResponse,
  type DescribeConfigsResult,
} from '../protocol/messages/32-describe-configs.js';
import { brokerConfigs, ConfigSource, isOurBroker, ResourceType } from './broker-configs.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf, errorMessageOf } from './util.js';

function entry(
  name: string,
  value: string,
  isDefault: boolean,
  source: number,
  readOnly: boolean,
): DescribeConfigsEntry {
  return {
    name,
    value,
    readOnly,
    isDefault,
    configSource: isDefault ? ConfigSource.DEFAULT : source,
    isSensitive: false,
    synonyms: [],
    configType: 0,
    documentation: null,
  };
}

function describeOne(
  ctx: BrokerContext,
  r: DescribeConfigsResource,
  synonyms: boolean,
): DescribeConfigsResult {
  const result: DescribeConfigsResult = {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    configs: [],
  };
  let all: DescribeConfigsEntry[];
  try {
    if (r.resourceType === ResourceType.TOPIC) {
      if (!ctx.log.getTopic(r.resourceName)) {
        return {
          ...result,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          errorMessage: `Topic ${r.resourceName} does not exist.`,
        };
      }
      all = ctx.log
        .describeConfigs(r.resourceName)
        .map((c) => entry(c.name, c.value, c.isDefault, ConfigSource.DYNAMIC_TOPIC, false));
    } else if (r.resourceType === ResourceType.BROKER && isOurBroker(ctx, r.resourceName)) {
      all = brokerConfigs(ctx).map((c) =>
        entry(c.name, c.value, c.isDefault, ConfigSource.STATIC_BROKER, true),
      );
    } else {
      return {
        ...result,
        errorCode: ErrorCode.INVALID_REQUEST,
        errorMessage: `Unsupported resource ${r.resourceType}/${r.resourceName}`,
      };
    }
  } catch (err) {
    return { ...result, errorCode: errorCodeOf(err), errorMessage: errorMessageOf(err) };
  }
  const keys = r.configurationKeys;
  result.configs = keys === null ? all : all.filter((c) => keys.includes(c.name));
  if (synonyms) {
    // Each config has exactly one source here, so its only synonym is itself (Kafka lists the
    // value's source first, then any it overrides).
    for (const c of result.configs) c.synonyms = [{ name: c.name, value: c.value, source: c.configSource }];
  }
  return result;
}

export const describeConfigsHandler: ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 4,
  decode: decodeDescribeConfigsRequest,
  encode: encodeDescribeConfigsResponse,
  handle(req, _v, ctx) {
    return { throttleTimeMs: 0, results: req.resources.map((r) => describeOne(ctx, r, req.includeSynonyms)) };
  },
};
