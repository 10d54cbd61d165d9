// CreateTopics (key 19), versions 0-7. One broker: a replication factor other than 1 (or -1,
// "broker default", KIP-464) answers INVALID_REPLICATION_FACTOR, and manual assignments must name
// only us. NumPartitions -1 takes num.partitions. validateOnly checks the request without
// creating (configs are only checked by a real create, since the log validates them). The same
// name twice in one request answers INVALID_REQUEST for it, as Kafka does. v5+ answers carry the
// topic's effective configs; v7+ its id.
import type { BrokerContext } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeCreateTopicsRequest,
  encodeCreateTopicsResponse,
  type CreatableTopic,
  type CreatableTopicResult,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
} from '../protocol/messages/19-create-topics.js';
import type { ApiHandler } from './types.js';
import { ConfigSource } from './broker-configs.js';
import { errorCodeOf, errorMessageOf, MAX_PARTITIONS_PER_TOPIC, settingsOf } from './util.js';

function failure(name: string, errorCode: number, errorMessage: string | null): CreatableTopicResult {
  return {
    name,
    topicId: null,
    errorCode,
    errorMessage,
    numPartitions: -1,
    replicationFactor: -1,
    configs: null,
  };
}

function check(ctx: BrokerContext, t: CreatableTopic): CreatableTopicResult | number {
  const nodeId = ctx.identity.nodeId;
  if (t.replicationFactor !== -1 && t.replicationFactor !== 1 && t.assignments.length === 0) {
    return failure(
      t.name,
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${t.replicationFactor} time(s): the number of brokers is 1.`,
    );
  }
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
      return failure(
        t.name,
        ErrorCode.INVALID_REQUEST,
        'Both numPartitions or replicationFactor and replicasAssignments were set.',
      );
    }
    if (t.assignments.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== nodeId)) {
      return failure(t.name, ErrorCode.INVALID_REPLICATION_FACTOR, `Only broker ${nodeId} exists.`);
    }
    if (t.assignments.length > MAX_PARTITIONS_PER_TOPIC) {
      return failure(
        t.name,
        ErrorCode.INVALID_PARTITIONS,
        `At most ${MAX_PARTITIONS_PER_TOPIC} partitions per topic.`,
      );
    }
    return t.assignments.length;
  }
  const n = t.numPartitions === -1 ? settingsOf(ctx).defaultPartitions : t.numPartitions;
  if (n <= 0) {
    return failure(t.name, ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
  }
  if (n > MAX_PARTITIONS_PER_TOPIC) {
    return failure(
      t.name,
      ErrorCode.INVALID_PARTITIONS,
      `At most ${MAX_PARTITIONS_PER_TOPIC} partitions per topic.`,
    );
  }
  return n;
}

function createOne(ctx: BrokerContext, t: CreatableTopic, validateOnly: boolean): CreatableTopicResult {
  const checked = check(ctx, t);
  if (typeof checked !== 'number') return checked;
  if (ctx.log.getTopic(t.name)) {
    return failure(t.name, ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`);
  }
  const configs: Record<string, string> = {};
  for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
  if (validateOnly) {
    return { ...failure(t.name, ErrorCode.NONE, null), numPartitions: checked, replicationFactor: 1 };
  }
  try {
    const info = ctx.log.createTopic(t.name, checked, configs);
    const effective = ctx.log.describeConfigs(t.name).map((c) => ({
      name: c.name,
      value: c.value,
      readOnly: false,
      configSource: c.isDefault ? ConfigSource.DEFAULT : ConfigSource.DYNAMIC_TOPIC,
      isSensitive: false,
    }));
    return {
      name: t.name,
      topicId: info.id,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      numPartitions: info.partitions,
      replicationFactor: 1,
      configs: effective,
    };
  } catch (err) {
    return failure(t.name, errorCodeOf(err), errorMessageOf(err));
  }
}

export const createTopicsHandler: ApiHandler<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 7,
  flexibleFrom: 5,
  decode: decodeCreateTopicsRequest,
  encode: encodeCreateTopicsResponse,
  handle(req, _v, ctx) {
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const topics = req.topics.map((t) =>
      (counts.get(t.name) ?? 0) > 1
        ? failure(
            t.name,
            ErrorCode.INVALID_REQUEST,
            'Create topics request from client contains duplicate topics.',
          )
        : createOne(ctx, t, req.validateOnly),
    );
    return { throttleTimeMs: 0, topics };
  },
};
