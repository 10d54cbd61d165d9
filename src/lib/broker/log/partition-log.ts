/**
 * The log of one partition: an ordered list of segments, the last one active. Appends write the
 * producer's batches as received, with baseOffset rewritten, in one write to the active segment.
 * Everything here is synchronous except fsync, which the store's group commit drives.
 */
import {
  ATTRIBUTES,
  BASE_SEQUENCE,
  LAST_OFFSET_DELTA,
  MAX_TIMESTAMP,
  PRODUCER_EPOCH,
  PRODUCER_ID,
  RecordBatchError,
  TIMESTAMP_TYPE_FLAG,
  splitBatches,
  writeCrc,
  type BatchView,
} from '../protocol/record-batch.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { validateBatches } from './append-checks.js';
import { readInt64 } from './batch-scan.js';
import { LOG_START_FILE, RECOVERY_POINT_FILE, writeNumberFile } from './checkpoints.js';
import type { EffectiveConfig } from './configs.js';
import type { ProducerState } from './producer-state.js';
import { Segment } from './segment.js';
import { KafkaError } from './types.js';

/** Offsets relative to a segment base are int32 in the indexes. */
const MAX_RELATIVE = 2147483647;
const EMPTY = Buffer.alloc(0);

export interface AppendOutcome {
  readonly baseOffset: number;
  /** -1 unless the topic uses LogAppendTime. */
  readonly logAppendTime: number;
  /** True when the batches were a retry of batches already stored (nothing written). */
  readonly duplicate: boolean;
}

export class PartitionLog {
  config: EffectiveConfig;
  /** Sealed segments whose data and indexes still need an fsync (then the recovery point moves). */
  private unsynced: Segment[] = [];
  closed = false;

  constructor(
    readonly dir: string,
    readonly topic: string,
    readonly partition: number,
    readonly segments: Segment[],
    public logStartOffset: number,
    readonly producers: ProducerState,
    config: EffectiveConfig,
  ) {
    this.config = config;
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get bytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.size;
    return n;
  }

  /** Index of the segment holding `offset`: the last one whose base is <= offset. */
  segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.baseOffset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Validates and writes `records` (one or more batches). Checks come first, in Kafka's order
   * (size, CRC, offset range, timestamps, producer sequence), so a failure writes nothing.
   * The caller's buffer is modified in place: baseOffset, and for LogAppendTime topics the
   * timestamp type, maxTimestamp and CRC.
   */
  append(records: Buffer, nowMs: number): AppendOutcome {
    let views: BatchView[];
    try {
      views = splitBatches(records);
    } catch (err) {
      if (err instanceof RecordBatchError) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, err.message);
      throw err;
    }
    const cfg = this.config;
    const offsets = validateBatches(records, views, cfg, nowMs);
    const duplicate = this.checkProducers(records, views);
    if (duplicate) return duplicate;

    const active = this.maybeRoll(records.length, offsets, nowMs);
    let next = active.nextOffset;
    const first = next;
    for (const v of views) {
      // baseOffset is outside the CRC, so rewriting it keeps the producer's CRC valid.
      records.writeInt32BE(Math.floor(next / 4294967296), v.pos);
      records.writeUInt32BE(next >>> 0, v.pos + 4);
      const delta = records.readInt32BE(v.pos + LAST_OFFSET_DELTA);
      const pid = readInt64(records, v.pos + PRODUCER_ID);
      if (pid >= 0) {
        const epoch = records.readInt16BE(v.pos + PRODUCER_EPOCH);
        this.producers.stage(pid, epoch, records.readInt32BE(v.pos + BASE_SEQUENCE), delta, next);
      }
      if (cfg.logAppendTime) {
        // As Kafka's LogValidator for magic 2: mark the batch LogAppendTime and stamp maxTimestamp.
        records.writeInt16BE(
          records.readInt16BE(v.pos + ATTRIBUTES) | TIMESTAMP_TYPE_FLAG,
          v.pos + ATTRIBUTES,
        );
        records.writeInt32BE(Math.floor(nowMs / 4294967296), v.pos + MAX_TIMESTAMP);
        records.writeUInt32BE(nowMs >>> 0, v.pos + MAX_TIMESTAMP + 4);
        writeCrc(records, v.pos, v.size);
      }
      next += delta + 1;
    }

    let position: number;
    const before = active.size;
    try {
      position = active.write(records);
    } catch (err) {
      this.producers.abort();
      this.undoWrite(active, before);
      throw new KafkaError(
        ErrorCode.KAFKA_STORAGE_ERROR,
        `write to ${active.logPath} failed: ${String(err)}`,
      );
    }
    for (const v of views) active.track(records, v.pos, position + v.pos, v.size, cfg.indexIntervalBytes);
    if (active.firstAppendMs < 0) active.firstAppendMs = nowMs;
    this.producers.commit();
    return { baseOffset: first, logAppendTime: cfg.logAppendTime ? nowMs : -1, duplicate: false };
  }

  private undoWrite(seg: Segment, size: number): void {
    try {
      seg.truncateTo(size, seg.nextOffset);
    } catch {
      // The disk is failing; recovery will cut the torn tail on the next start.
    }
  }

  /**
   * Sequence checks for idempotent batches. A duplicate answers with the original offset and
   * nothing is written, as Kafka does when any batch of an append is a duplicate.
   */
  private checkProducers(records: Buffer, views: BatchView[]): AppendOutcome | null {
    let staged = false;
    let offset = this.logEndOffset;
    try {
      for (const v of views) {
        const delta = records.readInt32BE(v.pos + LAST_OFFSET_DELTA);
        const pid = readInt64(records, v.pos + PRODUCER_ID);
        if (pid >= 0) {
          const epoch = records.readInt16BE(v.pos + PRODUCER_EPOCH);
          const seq = records.readInt32BE(v.pos + BASE_SEQUENCE);
          const dup = this.producers.check(pid, epoch, seq, delta);
          if (dup) return { baseOffset: dup.baseOffset, logAppendTime: -1, duplicate: true };
          // Stage so a second batch of the same producer in this append is checked against it.
          this.producers.stage(pid, epoch, seq, delta, offset);
          staged = true;
        }
        offset += delta + 1;
      }
    } finally {
      // The real staging happens once offsets are final.
      if (staged) this.producers.abort();
    }
    return null;
  }

  /** Rolls when the append would overflow segment.bytes, segment.ms passed, or offsets outgrow int32. */
  private maybeRoll(bytes: number, offsets: number, nowMs: number): Segment {
    const a = this.active;
    if (a.isEmpty()) return a;
    const cfg = this.config;
    const full = a.size + bytes > cfg.segmentBytes;
    const old = a.firstAppendMs >= 0 && nowMs - a.firstAppendMs >= cfg.segmentMs;
    const wide = a.nextOffset + offsets - a.baseOffset > MAX_RELATIVE;
    return full || old || wide ? this.roll() : a;
  }

  /** Seals the active segment and starts a new one at the log end (no-op on an empty segment). */
  roll(): Segment {
    const old = this.active;
    if (old.isEmpty()) return old;
    old.seal();
    const seg = Segment.create(this.dir, old.nextOffset);
    this.segments.push(seg);
    this.unsynced.push(old);
    return seg;
  }

  /**
   * Makes appended data durable: fsync of the active segment, and of sealed segments (with their
   * indexes) after which the recovery point moves past them. `indexes` also writes the active
   * segment's pending index entries (periodic flush and close).
   */
  async sync(indexes: boolean): Promise<void> {
    if (this.closed) return;
    const sealed = this.unsynced;
    this.unsynced = [];
    const active = this.active;
    if (indexes) active.persistIndexes(false);
    await Promise.all([active.sync(), ...sealed.map((s) => s.sync())]);
    if (sealed.length > 0 && !this.closed) {
      for (const s of sealed) s.persistIndexes(true);
      writeNumberFile(this.dir, RECOVERY_POINT_FILE, active.baseOffset);
    }
  }

  read(offset: number, maxBytes: number): Buffer {
    this.checkRange(offset);
    if (offset === this.logEndOffset) return EMPTY;
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      const seg = this.segments[i]!;
      const loc = seg.find(offset);
      if (!loc) continue;
      // At least one whole batch, as Kafka (KIP-74) does when the first batch exceeds maxBytes.
      if (loc.size >= maxBytes) return seg.read(loc.position, loc.size);
      const chunk = seg.read(loc.position, Math.min(maxBytes, seg.size - loc.position));
      let end = 0;
      while (end + 12 <= chunk.length) {
        const size = chunk.readInt32BE(end + 8) + 12;
        if (end + size > chunk.length) break;
        end += size;
      }
      return chunk.subarray(0, end);
    }
    return EMPTY;
  }

  checkRange(offset: number): void {
    if (offset < this.logStartOffset || offset > this.logEndOffset) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `Offset ${offset} is out of range for ${this.topic}-${this.partition}: [${this.logStartOffset}, ${this.logEndOffset}]`,
      );
    }
  }

  /** DeleteRecords: moves the log start forward; -1 means the end. Returns the new start. */
  deleteRecords(before: number): number {
    const target = before === -1 ? this.logEndOffset : before;
    if (target < 0 || target > this.logEndOffset) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `Cannot delete records of ${this.topic}-${this.partition} before ${before}: the log ends at ${this.logEndOffset}`,
      );
    }
    if (target > this.logStartOffset) this.setLogStart(target);
    // Kafka deletes a segment once the next one starts at or below the log start: never the active one.
    let n = 0;
    while (n < this.segments.length - 1 && this.segments[n + 1]!.baseOffset <= this.logStartOffset) n++;
    this.deleteOldest(n);
    return this.logStartOffset;
  }

  setLogStart(offset: number): void {
    this.logStartOffset = offset;
    writeNumberFile(this.dir, LOG_START_FILE, offset);
  }

  /** Deletes the n oldest segments (never the active one) and keeps the log start inside the log. */
  deleteOldest(n: number): void {
    if (n <= 0) return;
    const gone = this.segments.splice(0, Math.min(n, this.segments.length - 1));
    this.unsynced = this.unsynced.filter((s) => !gone.includes(s));
    for (const s of gone) s.delete();
    const first = this.segments[0]!.baseOffset;
    if (this.logStartOffset < first) this.setLogStart(first);
  }

  close(): void {
    this.closed = true;
    for (const s of this.segments) s.close();
  }
}
