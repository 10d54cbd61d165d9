// OffsetDelete (key 47, KIP-496), version 0: kafka-consumer-groups --delete-offsets. Refused for
// a topic an active member subscribes to (GROUP_SUBSCRIBED_TO_TOPIC, read from the consumer
// protocol's subscription); a group-level error comes with no topics, as in Kafka.
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeOffsetDeleteRequest,
  encodeOffsetDeleteResponse,
  type OffsetDeleteRequest,
  type OffsetDeleteResponse,
} from '../protocol/messages/47-offset-delete.js';
import type { PartitionError } from '../groups/types.js';
import { byTopic } from './group-util.js';
import type { ApiHandler } from './types.js';

export const offsetDeleteHandler: ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse> = {
  apiKey: 47,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: Infinity,
  decode: decodeOffsetDeleteRequest,
  encode: encodeOffsetDeleteResponse,
  async handle(req, _v, ctx) {
    const unknown: PartitionError[] = [];
    const wanted: { topic: string; partition: number }[] = [];
    for (const t of req.topics) {
      const known = ctx.log.getTopic(t.name) !== undefined;
      for (const p of t.partitions) {
        if (known) wanted.push({ topic: t.name, partition: p });
        else unknown.push({ topic: t.name, partition: p, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
      }
    }
    const r = await ctx.groups.deleteOffsets(req.groupId, wanted);
    if (r.errorCode !== ErrorCode.NONE) return { errorCode: r.errorCode, throttleTimeMs: 0, topics: [] };
    return { errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics: byTopic([...r.partitions, ...unknown]) };
  },
};
