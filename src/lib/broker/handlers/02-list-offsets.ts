// ListOffsets (key 2), versions 0-10. Timestamp -2 is the log start, -1 the log end (the high
// watermark: with one replica and no transactions it is also the last stable offset), -3
// (KIP-734, v7+) the offset of the record with the largest timestamp — answered here from the
// time index as the latest entry, see below. Any other timestamp asks for the first record at or
// after it; when there is none the answer is offset -1, timestamp -1 (v1+), as Kafka does.
// -4 (earliest local) equals -2 without tiered storage; -5 (earliest pending upload) has no
// meaning here and answers -1/-1 like an empty look-up.
import type { BrokerContext } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeListOffsetsRequest,
  encodeListOffsetsResponse,
  type ListOffsetsPartitionResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
} from '../protocol/messages/02-list-offsets.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf } from './util.js';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;

function lookUp(
  ctx: BrokerContext,
  topic: string,
  partition: number,
  ts: bigint,
): ListOffsetsPartitionResponse {
  const base = { partitionIndex: partition, errorCode: ErrorCode.NONE, leaderEpoch: 0 };
  if (ts === LATEST) return { ...base, timestamp: -1n, offset: ctx.log.logEndOffset(topic, partition) };
  if (ts === EARLIEST || ts === EARLIEST_LOCAL) {
    return { ...base, timestamp: -1n, offset: ctx.log.logStartOffset(topic, partition) };
  }
  if (ts === MAX_TIMESTAMP) return maxTimestamp(ctx, topic, partition);
  if (ts < 0n) return { ...base, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
  const hit = ctx.log.offsetForTimestamp(topic, partition, ts);
  if (!hit) return { ...base, timestamp: -1n, offset: -1n, leaderEpoch: -1 };
  return { ...base, timestamp: hit.timestamp, offset: hit.offset };
}

/**
 * -3: the record with the largest timestamp. The partition view carries each segment's max
 * timestamp; the offset is then found through the time index (first record at that timestamp).
 */
function maxTimestamp(ctx: BrokerContext, topic: string, partition: number): ListOffsetsPartitionResponse {
  const none = {
    partitionIndex: partition,
    errorCode: ErrorCode.NONE,
    timestamp: -1n,
    offset: -1n,
    leaderEpoch: -1,
  };
  const view = ctx.log.inspect(topic).find((p) => p.partition === partition);
  if (!view) return none;
  let best = -1n;
  for (const s of view.segments) if (s.maxTimestamp > best) best = s.maxTimestamp;
  if (best < 0n) return none;
  const hit = ctx.log.offsetForTimestamp(topic, partition, best);
  return hit ? { ...none, timestamp: hit.timestamp, offset: hit.offset, leaderEpoch: 0 } : none;
}

export const listOffsetsHandler: ApiHandler<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: 2,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 10,
  flexibleFrom: 6,
  decode: decodeListOffsetsRequest,
  encode: encodeListOffsetsResponse,
  handle(req, _v, ctx) {
    const topics = req.topics.map((t) => {
      const info = ctx.log.getTopic(t.name);
      const partitions = t.partitions.map((p): ListOffsetsPartitionResponse => {
        if (!info || p.partitionIndex < 0 || p.partitionIndex >= info.partitions) {
          return {
            partitionIndex: p.partitionIndex,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            timestamp: -1n,
            offset: -1n,
            leaderEpoch: -1,
          };
        }
        try {
          return lookUp(ctx, t.name, p.partitionIndex, p.timestamp);
        } catch (err) {
          return {
            partitionIndex: p.partitionIndex,
            errorCode: errorCodeOf(err),
            timestamp: -1n,
            offset: -1n,
            leaderEpoch: -1,
          };
        }
      });
      return { name: t.name, partitions };
    });
    return { throttleTimeMs: 0, topics };
  },
};
