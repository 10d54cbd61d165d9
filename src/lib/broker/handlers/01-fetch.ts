// Fetch (key 1), versions 4-17 (v4 is the first that carries magic-2 batches, the only format we
// store; Kafka 4 serves the same floor). Batches go out as the log stores them, never re-encoded.
// Long poll: when fewer than MinBytes are ready we wait on the log's append events, up to
// MaxWaitMs, then answer with what there is. MaxBytes and PartitionMaxBytes are respected except
// that the first partition with data always returns at least one whole batch (KIP-74).
// Fetch sessions (KIP-227) are not cached: every answer carries session id 0, which tells the
// client to keep sending full fetch requests; a request naming a session id answers
// FETCH_SESSION_ID_NOT_FOUND. Without transactions the last stable offset equals the high
// watermark and there are no aborted transactions.
import type { BrokerContext } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeFetchRequest,
  encodeFetchResponse,
  type FetchPartitionData,
  type FetchRequest,
  type FetchResponse,
  type FetchTopicResponse,
} from '../protocol/messages/01-fetch.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf } from './util.js';

interface ReadPass {
  responses: FetchTopicResponse[];
  bytes: number;
  failed: boolean;
  /** Topic names the request resolved to; append events on others are ignored. */
  watched: Set<string>;
}

function emptyPartition(partitionIndex: number, errorCode: number): FetchPartitionData {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    records: null,
  };
}

/** A partition answered without records: its offsets, or OFFSET_OUT_OF_RANGE as a read would. */
function offsetsOnly(
  ctx: BrokerContext,
  topic: string,
  partition: number,
  offset: bigint,
): FetchPartitionData {
  const start = ctx.log.logStartOffset(topic, partition);
  const end = ctx.log.logEndOffset(topic, partition);
  if (offset < start || offset > end) return emptyPartition(partition, ErrorCode.OFFSET_OUT_OF_RANGE);
  return {
    partitionIndex: partition,
    errorCode: ErrorCode.NONE,
    highWatermark: end,
    lastStableOffset: end,
    logStartOffset: start,
    records: EMPTY,
  };
}

const EMPTY = Buffer.alloc(0);

function readAll(req: FetchRequest, version: number, ctx: BrokerContext): ReadPass {
  const pass: ReadPass = { responses: [], bytes: 0, failed: false, watched: new Set() };
  let budget = req.maxBytes;
  for (const t of req.topics) {
    const info = version >= 13 && t.topicId ? ctx.log.getTopicById(t.topicId) : ctx.log.getTopic(t.topic);
    const unknown = version >= 13 ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    const partitions: FetchPartitionData[] = [];
    pass.responses.push({ topic: t.topic, topicId: t.topicId, partitions });
    if (info) pass.watched.add(info.name);
    for (const p of t.partitions) {
      if (!info || p.partition < 0 || p.partition >= info.partitions) {
        partitions.push(emptyPartition(p.partition, info ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : unknown));
        pass.failed = true;
        continue;
      }
      try {
        const limit = Math.max(0, Math.min(p.partitionMaxBytes, budget));
        if (limit === 0 && pass.bytes > 0) {
          // The response is full: report the partition's offsets without reading a batch that
          // would only be dropped.
          const entry = offsetsOnly(ctx, info.name, p.partition, p.fetchOffset);
          if (entry.errorCode !== ErrorCode.NONE) pass.failed = true;
          partitions.push(entry);
          continue;
        }
        const r = ctx.log.read(info.name, p.partition, p.fetchOffset, limit);
        let records = r.records;
        // Only the first partition with data may exceed the budget (with its first batch).
        if (records.length > limit && pass.bytes > 0) records = records.subarray(0, 0);
        pass.bytes += records.length;
        budget -= records.length;
        partitions.push({
          partitionIndex: p.partition,
          errorCode: ErrorCode.NONE,
          highWatermark: r.highWatermark,
          lastStableOffset: r.highWatermark,
          logStartOffset: r.logStartOffset,
          records,
        });
      } catch (err) {
        partitions.push(emptyPartition(p.partition, errorCodeOf(err)));
        pass.failed = true;
      }
    }
  }
  return pass;
}

function answer(pass: ReadPass): FetchResponse {
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses: pass.responses };
}

/** Waits for appends to the fetched topics until MinBytes are ready or MaxWaitMs passes. */
function longPoll(
  req: FetchRequest,
  version: number,
  ctx: BrokerContext,
  first: ReadPass,
): Promise<FetchResponse> {
  return new Promise((resolve) => {
    let done = false;
    let scheduled = false;
    const finish = (pass: ReadPass): void => {
      if (done) return;
      done = true;
      unsubscribe();
      timer.cancel();
      resolve(answer(pass));
    };
    const recheck = (): void => {
      scheduled = false;
      if (done) return;
      try {
        const pass = readAll(req, version, ctx);
        if (pass.bytes >= req.minBytes || pass.failed) finish(pass);
      } catch {
        finish(first);
      }
    };
    const unsubscribe = ctx.log.onAppend((topic) => {
      // Coalesce a burst of appends into one re-read on the next turn of the event loop.
      if (done || scheduled || !first.watched.has(topic)) return;
      scheduled = true;
      setImmediate(recheck);
    });
    const timer = ctx.clock.setTimeout(() => {
      let pass = first;
      try {
        pass = readAll(req, version, ctx);
      } catch {
        // keep the first pass: it is a valid, if stale, answer
      }
      finish(pass);
    }, req.maxWaitMs);
  });
}

export const fetchHandler: ApiHandler<FetchRequest, FetchResponse> = {
  apiKey: 1,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 17,
  flexibleFrom: 12,
  decode: decodeFetchRequest,
  encode: encodeFetchResponse,
  handle(req, version, ctx) {
    if (version >= 7 && req.sessionId !== 0) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
        sessionId: 0,
        responses: [],
      };
    }
    const first = readAll(req, version, ctx);
    if (first.bytes >= req.minBytes || first.failed || req.maxWaitMs <= 0 || first.watched.size === 0) {
      return answer(first);
    }
    return longPoll(req, version, ctx, first);
  },
};
