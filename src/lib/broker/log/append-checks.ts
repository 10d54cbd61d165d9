/**
 * The checks a produced batch passes before anything is written, in Kafka's order
 * (UnifiedLog.analyzeAndValidateRecords, then LogValidator): size against max.message.bytes,
 * CRC-32C, offset range against the record count, then the timestamp window.
 */
import { ErrorCode } from '../protocol/error-codes.js';
import {
  BASE_TIMESTAMP,
  LAST_OFFSET_DELTA,
  MAX_TIMESTAMP,
  RECORDS_COUNT,
  verifyCrc,
  type BatchView,
} from '../protocol/record-batch.js';
import { readInt64 } from './batch-scan.js';
import type { EffectiveConfig } from './configs.js';
import { KafkaError } from './types.js';

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}

/** Throws the KafkaError Kafka would answer; returns how many offsets the batches take. */
export function validateBatches(
  records: Buffer,
  views: BatchView[],
  cfg: EffectiveConfig,
  nowMs: number,
): number {
  let offsets = 0;
  for (const v of views) {
    if (v.size > cfg.maxMessageBytes) {
      throw new KafkaError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `The record batch is ${v.size} bytes, larger than max.message.bytes ${cfg.maxMessageBytes}`,
      );
    }
    if (!verifyCrc(v)) throw corrupt(`Record batch at byte ${v.pos} fails its CRC-32C check`);
    const delta = records.readInt32BE(v.pos + LAST_OFFSET_DELTA);
    const count = records.readInt32BE(v.pos + RECORDS_COUNT);
    // LogValidator: the batch's offset range (lastOffsetDelta + 1) must match its record count.
    if (delta < 0 || count <= 0 || delta + 1 !== count) {
      throw corrupt(`Inconsistent batch offset range: lastOffsetDelta ${delta}, records count ${count}`);
    }
    offsets += delta + 1;
    if (!cfg.logAppendTime) checkTimestamps(records, v.pos, cfg, nowMs);
  }
  return offsets;
}

/**
 * message.timestamp.before/after.max.ms (KIP-937). Kafka checks every record; we check the
 * batch's maxTimestamp (the latest record) and baseTimestamp (the first record's, which producers
 * make the earliest), so no record needs decoding.
 */
function checkTimestamps(records: Buffer, pos: number, cfg: EffectiveConfig, nowMs: number): void {
  const maxTs = readInt64(records, pos + MAX_TIMESTAMP);
  const baseTs = readInt64(records, pos + BASE_TIMESTAMP);
  if (maxTs >= 0 && maxTs - nowMs > cfg.timestampAfterMaxMs) {
    throw new KafkaError(
      ErrorCode.INVALID_TIMESTAMP,
      `Timestamp ${maxTs} is more than message.timestamp.after.max.ms ${cfg.timestampAfterMaxMs} ahead of the broker time ${nowMs}`,
    );
  }
  if (baseTs >= 0 && nowMs - baseTs > cfg.timestampBeforeMaxMs) {
    throw new KafkaError(
      ErrorCode.INVALID_TIMESTAMP,
      `Timestamp ${baseTs} is more than message.timestamp.before.max.ms ${cfg.timestampBeforeMaxMs} behind the broker time ${nowMs}`,
    );
  }
}
