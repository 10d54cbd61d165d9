/**
 * One log segment: `<20-digit base offset>.log` holding whole record batches back to back, with
 * its sparse `.index` and `.timeindex`. Offsets inside are contiguous from baseOffset to
 * nextOffset - 1. Offsets and timestamps are doubles here (exact below 2^53); the LogStore
 * boundary converts to and from the wire's bigint.
 */
import { closeSync, fsync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE_OFFSET,
  BATCH_LENGTH,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAX_TIMESTAMP,
} from '../protocol/record-batch.js';
import { readFully, readInt64 } from './batch-scan.js';
import { unlinkIfExists } from './atomic-file.js';
import { OffsetIndex } from './offset-index.js';
import { TimeIndex } from './time-index.js';

export function segmentFileName(baseOffset: number, suffix: string): string {
  return `${String(baseOffset).padStart(20, '0')}${suffix}`;
}

/** Where a batch sits: the fields a read or a timestamp search needs from its header. */
export interface BatchLocation {
  readonly position: number;
  readonly size: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
}

const HEADER_PREFIX = MAX_TIMESTAMP + 8;

export class Segment {
  readonly logPath: string;
  size: number;
  nextOffset: number;
  /** Largest batch maxTimestamp in the segment; -1 while empty (Kafka's NO_TIMESTAMP). */
  maxTimestamp = -1;
  /** Base offset of the first batch that reached maxTimestamp. */
  offsetOfMaxTimestamp: number;
  /** Clock time the segment got its first batch, for segment.ms rolling. */
  firstAppendMs = -1;
  bytesSinceIndexEntry = 0;
  private fd: number | null = null;
  private deleted = false;
  private syncing = 0;
  private closeWhenSynced = false;
  private readonly scratch = Buffer.allocUnsafe(HEADER_PREFIX);

  constructor(
    readonly dir: string,
    readonly baseOffset: number,
    readonly offsetIndex: OffsetIndex,
    readonly timeIndex: TimeIndex,
    size: number,
  ) {
    this.logPath = join(dir, segmentFileName(baseOffset, '.log'));
    this.size = size;
    this.nextOffset = baseOffset;
    this.offsetOfMaxTimestamp = baseOffset;
  }

  /** Creates the empty files of a new segment. */
  static create(dir: string, baseOffset: number): Segment {
    const logPath = join(dir, segmentFileName(baseOffset, '.log'));
    closeSync(openSync(logPath, 'w'));
    for (const s of ['.index', '.timeindex']) unlinkIfExists(join(dir, segmentFileName(baseOffset, s)));
    return new Segment(
      dir,
      baseOffset,
      new OffsetIndex(join(dir, segmentFileName(baseOffset, '.index'))),
      new TimeIndex(join(dir, segmentFileName(baseOffset, '.timeindex'))),
      0,
    );
  }

  /** Opens an existing segment's files; nextOffset and maxTimestamp are set by recovery. */
  static open(dir: string, baseOffset: number): Segment {
    const logPath = join(dir, segmentFileName(baseOffset, '.log'));
    const size = statSync(logPath).size;
    return new Segment(
      dir,
      baseOffset,
      OffsetIndex.load(join(dir, segmentFileName(baseOffset, '.index')), size),
      TimeIndex.load(join(dir, segmentFileName(baseOffset, '.timeindex'))),
      size,
    );
  }

  handle(): number {
    this.closeWhenSynced = false;
    this.fd ??= openSync(this.logPath, 'r+');
    return this.fd;
  }

  isEmpty(): boolean {
    return this.size === 0;
  }

  /**
   * Accounts for one batch now at `position` (already written, or found by recovery): grows the
   * offsets, the max timestamp and, every index.interval.bytes, both indexes (Kafka's
   * LogSegment.append rule: an entry once the bytes since the last one exceed the interval).
   */
  track(buf: Buffer, pos: number, position: number, size: number, indexIntervalBytes: number): void {
    const base = readInt64(buf, pos + BASE_OFFSET);
    const last = base + buf.readInt32BE(pos + LAST_OFFSET_DELTA);
    const maxTs = readInt64(buf, pos + MAX_TIMESTAMP);
    if (maxTs > this.maxTimestamp) {
      this.maxTimestamp = maxTs;
      this.offsetOfMaxTimestamp = base;
    }
    if (this.bytesSinceIndexEntry > indexIntervalBytes) {
      this.offsetIndex.append(base - this.baseOffset, position);
      this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
      this.bytesSinceIndexEntry = 0;
    }
    this.bytesSinceIndexEntry += size;
    this.nextOffset = last + 1;
  }

  /** Writes bytes at the end of the file (the caller then `track`s each batch). */
  write(buf: Buffer): number {
    const fd = this.handle();
    const position = this.size;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, position + off);
    this.size += buf.length;
    return position;
  }

  read(position: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    const n = readFully(this.handle(), out, length, position);
    return n === length ? out : out.subarray(0, n);
  }

  /** Header fields of the batch at `position` (one small read). */
  locate(position: number): BatchLocation {
    const n = readFully(this.handle(), this.scratch, HEADER_PREFIX, position);
    if (n < HEADER_PREFIX) throw new Error(`${this.logPath}: short batch header at ${position}`);
    const s = this.scratch;
    const baseOffset = readInt64(s, BASE_OFFSET);
    return {
      position,
      size: s.readInt32BE(BATCH_LENGTH) + LOG_OVERHEAD,
      baseOffset,
      lastOffset: baseOffset + s.readInt32BE(LAST_OFFSET_DELTA),
      maxTimestamp: readInt64(s, MAX_TIMESTAMP),
    };
  }

  /** The batch containing `offset` (index lookup, then a short header walk), or null if past the end. */
  find(offset: number): BatchLocation | null {
    if (offset >= this.nextOffset) return null;
    let position = this.offsetIndex.lookup(offset - this.baseOffset);
    while (position < this.size) {
      const b = this.locate(position);
      if (b.lastOffset >= offset) return b;
      position += b.size;
    }
    return null;
  }

  /** Cuts the file at `position` (recovery of a torn tail, or truncation). */
  truncateTo(position: number, nextOffset: number): void {
    ftruncateSync(this.handle(), position);
    this.size = position;
    this.nextOffset = nextOffset;
    this.offsetIndex.truncateToPosition(position);
    this.timeIndex.truncateToRel(nextOffset - this.baseOffset);
  }

  /** The segment stops taking appends: record the final max timestamp (as Kafka's onBecomeInactiveSegment). */
  seal(): void {
    if (this.maxTimestamp >= 0)
      this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp - this.baseOffset);
    this.persistIndexes(false);
  }

  persistIndexes(sync: boolean): void {
    // A segment deleted while its fsync was in flight must not get its index files back.
    if (this.deleted) return;
    this.offsetIndex.persist(sync);
    this.timeIndex.persist(sync);
  }

  /** Async fsync of the log file; group commit shares one call among many appends. */
  sync(): Promise<void> {
    if (this.fd === null) return Promise.resolve();
    const fd = this.fd;
    this.syncing++;
    return new Promise<void>((resolve, reject) => {
      fsync(fd, (err) => {
        this.syncing--;
        if (this.syncing === 0 && this.closeWhenSynced) this.closeNow();
        if (err) reject(err);
        else resolve();
      });
    });
  }

  /** Closes the fd, after any in-flight fsync (closing under it could fsync a reused fd number). */
  close(): void {
    if (this.syncing > 0) this.closeWhenSynced = true;
    else this.closeNow();
  }

  private closeNow(): void {
    this.closeWhenSynced = false;
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  /** Removes the segment's files. */
  delete(): void {
    this.deleted = true;
    this.close();
    unlinkIfExists(this.logPath);
    unlinkIfExists(this.offsetIndex.path);
    unlinkIfExists(this.timeIndex.path);
  }
}
