// Produce (key 0), versions 0-11. Batches are handed to the log as the bytes that arrived (no
// per-record work here); the log checks each batch's CRC-32C and rewrites its base offset.
// acks=-1 answers once the data is fsynced, acks=1 once it is written to the OS, acks=0 gets no
// answer at all (Kafka sends none; when it fails, the connection is closed, as Kafka does). v0-v2 are advertised only because librdkafka keys its
// compression support off Produce v0 being offered; only magic-2 batches (the format of v3+) are
// stored, so a client that really sends a magic 0/1 message set gets
// UNSUPPORTED_FOR_MESSAGE_FORMAT. Producing to an unknown topic answers UNKNOWN_TOPIC_OR_PARTITION
// (Kafka creates topics from Metadata, never from Produce). Transactions are not supported: no
// transactional APIs are served, so a transactional id cannot reach us with a valid epoch.
import type { BrokerContext } from '../context.js';
import type { Durability } from '../log/types.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeProduceRequest,
  encodeProduceResponse,
  type ProducePartitionData,
  type ProducePartitionResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../protocol/messages/00-produce.js';
import { MAGIC } from '../protocol/record-batch.js';
import { CloseConnection, type ApiHandler } from './types.js';
import { errorCodeOf, errorMessageOf } from './util.js';

function failed(
  index: number,
  errorCode: number,
  errorMessage: string | null = null,
): ProducePartitionResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, errorMessage };
}

async function appendOne(
  ctx: BrokerContext,
  topic: string,
  partitions: number,
  p: ProducePartitionData,
  durability: Durability,
): Promise<ProducePartitionResponse> {
  if (p.index < 0 || p.index >= partitions) return failed(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const records = p.records;
  if (records === null || records.length <= MAGIC) return failed(p.index, ErrorCode.CORRUPT_MESSAGE);
  if (records[MAGIC] !== 2) {
    return failed(
      p.index,
      ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT,
      'only record batches of magic 2 are stored',
    );
  }
  try {
    const r = await ctx.log.append(topic, p.index, records, durability);
    return {
      index: p.index,
      errorCode: ErrorCode.NONE,
      baseOffset: r.baseOffset,
      logAppendTimeMs: r.logAppendTime,
      logStartOffset: r.logStartOffset,
      errorMessage: null,
    };
  } catch (err) {
    return failed(p.index, errorCodeOf(err), errorMessageOf(err));
  }
}

export const produceHandler: ApiHandler<ProduceRequest, ProduceResponse> = {
  apiKey: 0,
  name: 'Produce',
  minVersion: 0,
  maxVersion: 11,
  flexibleFrom: 9,
  decode: decodeProduceRequest,
  encode: encodeProduceResponse,
  expectsResponse: (req) => req.acks !== 0,
  async handle(req, _v, ctx) {
    const validAcks = req.acks === -1 || req.acks === 0 || req.acks === 1;
    const durability: Durability = req.acks === -1 ? 'fsync' : 'none';
    // Start every partition's append before awaiting any, so fsyncs of one request overlap.
    const pending = req.topics.map((t) => {
      const info = ctx.log.getTopic(t.name);
      return {
        name: t.name,
        partitions: t.partitions.map((p) => {
          if (!validAcks) return failed(p.index, ErrorCode.INVALID_REQUIRED_ACKS);
          if (!info) return failed(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          return appendOne(ctx, t.name, info.partitions, p, durability);
        }),
      };
    });
    const topics = [];
    for (const t of pending) topics.push({ name: t.name, partitions: await Promise.all(t.partitions) });
    if (req.acks === 0 && topics.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE))) {
      // Kafka closes the connection when an acks=0 produce fails: it is the only way to tell
      // a client that waits for no answer, and makes it refresh its metadata.
      throw new CloseConnection('produce with acks=0 failed');
    }
    return { topics, throttleTimeMs: 0 };
  },
};
