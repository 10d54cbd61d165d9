// Metadata (key 3), versions 0-12. We are the only broker, the controller and the leader of
// every partition (leader epoch 0, replicas = ISR = [us]). Following Kafka with
// auto.create.topics.enable=true, a Metadata request that names an unknown topic and allows
// auto-creation (always before v4) creates it with num.partitions partitions; since our creation
// is synchronous, the new topic is answered at once instead of LEADER_NOT_AVAILABLE. Topics asked
// for by id (v10+) that we do not know answer UNKNOWN_TOPIC_ID. Authorized operations are not
// computed (no ACLs): the "omitted" sentinel is returned.
import type { BrokerContext } from '../context.js';
import type { TopicInfo } from '../log/types.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  AUTHORIZED_OPERATIONS_OMITTED,
  decodeMetadataRequest,
  encodeMetadataResponse,
  type MetadataPartition,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataTopic,
} from '../protocol/messages/03-metadata.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf, settingsOf } from './util.js';

function topicEntry(ctx: BrokerContext, t: TopicInfo): MetadataTopic {
  const node = ctx.identity.nodeId;
  const partitions: MetadataPartition[] = [];
  for (let p = 0; p < t.partitions; p++) {
    partitions.push({
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: node,
      leaderEpoch: 0,
      replicaNodes: [node],
      isrNodes: [node],
      offlineReplicas: [],
    });
  }
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.id,
    isInternal: false,
    partitions,
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function errorEntry(name: string | null, topicId: Buffer | null, errorCode: number): MetadataTopic {
  return {
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function lookup(ctx: BrokerContext, req: MetadataRequest, name: string): MetadataTopic {
  const known = ctx.log.getTopic(name);
  if (known) return topicEntry(ctx, known);
  const settings = settingsOf(ctx);
  if (!req.allowAutoTopicCreation || !settings.autoCreateTopics) {
    return errorEntry(name, null, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  }
  try {
    return topicEntry(ctx, ctx.log.createTopic(name, settings.defaultPartitions, {}));
  } catch (err) {
    return errorEntry(name, null, errorCodeOf(err));
  }
}

function isZeroId(id: Buffer | null): boolean {
  return id === null || id.every((b) => b === 0);
}

export const metadataHandler: ApiHandler<MetadataRequest, MetadataResponse> = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  flexibleFrom: 9,
  decode: decodeMetadataRequest,
  encode: encodeMetadataResponse,
  handle(req, _v, ctx) {
    const topics: MetadataTopic[] = [];
    if (req.topics === null) {
      const all = ctx.log.listTopics().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const t of all) topics.push(topicEntry(ctx, t));
    } else {
      for (const rt of req.topics) {
        if (rt.name === null || (rt.name === '' && !isZeroId(rt.topicId))) {
          const byId = rt.topicId ? ctx.log.getTopicById(rt.topicId) : undefined;
          topics.push(
            byId ? topicEntry(ctx, byId) : errorEntry(null, rt.topicId, ErrorCode.UNKNOWN_TOPIC_ID),
          );
        } else {
          topics.push(lookup(ctx, req, rt.name));
        }
      }
    }
    const { nodeId, host, port, clusterId } = ctx.identity;
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId, host, port, rack: null }],
      clusterId,
      controllerId: nodeId,
      topics,
    };
  },
};
