// OffsetCommit (key 8), versions 2-9 (v0-1 are gone in Kafka 4, as here); kafkajs uses v5, librdkafka
// 2.0.2 v7, Kafka 4's Java clients v9. Offsets for a topic we do not have answer
// UNKNOWN_TOPIC_OR_PARTITION (KafkaApis checks this before the coordinator); the rest go to the
// coordinator, whose answer arrives once the commit is on disk. Generation -1 with no member id
// is the admin client's commit (offset resets), accepted only while the group has no members.
import {
  decodeOffsetCommitRequest,
  encodeOffsetCommitResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
} from '../protocol/messages/08-offset-commit.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { OffsetCommitEntry, PartitionError } from '../groups/types.js';
import { byTopic } from './group-util.js';
import type { ApiHandler } from './types.js';

export const offsetCommitHandler: ApiHandler<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 9,
  flexibleFrom: 8,
  decode: decodeOffsetCommitRequest,
  encode: encodeOffsetCommitResponse,
  async handle(req, v, ctx) {
    const unknown: PartitionError[] = [];
    const offsets: OffsetCommitEntry[] = [];
    for (const t of req.topics) {
      const partitions = ctx.log.getTopic(t.name)?.partitions ?? 0;
      for (const p of t.partitions) {
        // Kafka refuses a commit for a partition it does not host, even on an existing topic.
        if (p.partitionIndex < 0 || p.partitionIndex >= partitions) {
          unknown.push({
            topic: t.name,
            partition: p.partitionIndex,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          });
          continue;
        }
        offsets.push({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata: p.committedMetadata,
        });
      }
    }
    const committed =
      offsets.length === 0
        ? []
        : await ctx.groups.commitOffsets(
            {
              groupId: req.groupId,
              generationId: req.generationIdOrMemberEpoch,
              memberId: req.memberId,
              groupInstanceId: req.groupInstanceId,
              offsets,
            },
            v,
          );
    // Answer in request order.
    const results = new Map<string, number>();
    for (const r of [...committed, ...unknown]) results.set(`${r.partition}:${r.topic}`, r.errorCode);
    const rows: PartitionError[] = [];
    for (const t of req.topics) {
      for (const p of t.partitions) {
        const errorCode = results.get(`${p.partitionIndex}:${t.name}`) ?? ErrorCode.UNKNOWN_SERVER_ERROR;
        rows.push({ topic: t.name, partition: p.partitionIndex, errorCode });
      }
    }
    return { throttleTimeMs: 0, topics: byTopic(rows) };
  },
};
