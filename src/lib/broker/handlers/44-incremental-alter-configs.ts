// IncrementalAlterConfigs (key 44, KIP-339), versions 0-1: what Kafka's Java tools use
// (kafka-configs --alter). SET and DELETE change one key each; APPEND and SUBTRACT edit
// comma-separated list configs (cleanup.policy) starting from the effective value. Broker configs
// are read-only (INVALID_REQUEST), as in AlterConfigs.
import type { BrokerContext } from '../context.js';
import { KafkaError } from '../log/types.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { AlterConfigsResponse } from '../protocol/messages/33-alter-configs.js';
import {
  ConfigOperation,
  decodeIncrementalAlterConfigsRequest,
  encodeIncrementalAlterConfigsResponse,
  type IncrementalAlterableConfig,
  type IncrementalAlterConfigsRequest,
} from '../protocol/messages/44-incremental-alter-configs.js';
import { alterTopicConfigs } from './33-alter-configs.js';
import type { ApiHandler } from './types.js';

function listOf(value: string | null | undefined): string[] {
  return value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
}

function changesFor(
  ctx: BrokerContext,
  topic: string,
  ops: IncrementalAlterableConfig[],
): Record<string, string | null> {
  const current = new Map(ctx.log.describeConfigs(topic).map((c) => [c.name, c.value]));
  const out: Record<string, string | null> = {};
  for (const op of ops) {
    const now = op.name in out ? out[op.name] : current.get(op.name);
    switch (op.configOperation) {
      case ConfigOperation.SET:
        out[op.name] = op.value;
        break;
      case ConfigOperation.DELETE:
        out[op.name] = null;
        break;
      case ConfigOperation.APPEND: {
        const list = listOf(now);
        for (const v of listOf(op.value)) if (!list.includes(v)) list.push(v);
        out[op.name] = list.join(',');
        break;
      }
      case ConfigOperation.SUBTRACT: {
        const drop = listOf(op.value);
        out[op.name] = listOf(now)
          .filter((v) => !drop.includes(v))
          .join(',');
        break;
      }
      default:
        throw new KafkaError(ErrorCode.INVALID_REQUEST, `Unknown config operation ${op.configOperation}`);
    }
  }
  return out;
}

export const incrementalAlterConfigsHandler: ApiHandler<
  IncrementalAlterConfigsRequest,
  AlterConfigsResponse
> = {
  apiKey: 44,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
  decode: decodeIncrementalAlterConfigsRequest,
  encode: encodeIncrementalAlterConfigsResponse,
  handle(req, _v, ctx) {
    const responses = req.resources.map((r) =>
      alterTopicConfigs(
        ctx,
        r.resourceType,
        r.resourceName,
        req.validateOnly,
        () => changesFor(ctx, r.resourceName, r.configs),
        false,
      ),
    );
    return { throttleTimeMs: 0, responses };
  },
};
