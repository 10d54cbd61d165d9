// DeleteRecords (key 21), versions 0-2: moves a partition's log start offset forward (offset -1
// means the high watermark). Offsets past the end answer OFFSET_OUT_OF_RANGE (from the log).
// The answer's low watermark is the new log start offset.
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeDeleteRecordsRequest,
  encodeDeleteRecordsResponse,
  type DeleteRecordsPartitionResult,
  type DeleteRecordsRequest,
  type DeleteRecordsResponse,
} from '../protocol/messages/21-delete-records.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf } from './util.js';

export const deleteRecordsHandler: ApiHandler<DeleteRecordsRequest, DeleteRecordsResponse> = {
  apiKey: 21,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  flexibleFrom: 2,
  decode: decodeDeleteRecordsRequest,
  encode: encodeDeleteRecordsResponse,
  handle(req, _v, ctx) {
    const topics = req.topics.map((t) => {
      const info = ctx.log.getTopic(t.name);
      const partitions = t.partitions.map((p): DeleteRecordsPartitionResult => {
        if (!info || p.partitionIndex < 0 || p.partitionIndex >= info.partitions) {
          return {
            partitionIndex: p.partitionIndex,
            lowWatermark: -1n,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          };
        }
        try {
          const lowWatermark = ctx.log.deleteRecords(t.name, p.partitionIndex, p.offset);
          return { partitionIndex: p.partitionIndex, lowWatermark, errorCode: ErrorCode.NONE };
        } catch (err) {
          return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: errorCodeOf(err) };
        }
      });
      return { name: t.name, partitions };
    });
    return { throttleTimeMs: 0, topics };
  },
};
