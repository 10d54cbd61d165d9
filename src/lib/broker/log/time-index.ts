/**
 * The sparse time index of one segment (Kafka's .timeindex): entries of (max timestamp so far
 * int64, offset relative to the segment base int32). An entry is added alongside an offset-index
 * entry when the segment's max timestamp has grown since the last one, plus a final entry when the
 * segment is sealed, so timestamps are strictly increasing and the last entry is the segment's max.
 * Entry (T, o) promises: every batch before offset o has timestamps < T, because o is the first
 * batch that raised the running maximum to T. So a search for ts may start at the batch of the
 * last entry with T <= ts.
 *
 * Timestamps are kept as doubles in memory: exact for any millisecond time below 2^53.
 */
import { IndexFile } from './index-file.js';

const ENTRY = 12;

export class TimeIndex extends IndexFile {
  private ts = new Float64Array(0);
  private rel = new Int32Array(0);

  constructor(path: string) {
    super(path, ENTRY);
  }

  /** Loads the longest valid prefix: timestamps strictly increasing, offsets non-decreasing. */
  static load(path: string): TimeIndex {
    const idx = new TimeIndex(path);
    const raw = IndexFile.readRaw(path);
    const n = Math.floor(raw.length / ENTRY);
    idx.grow(Math.max(64, n));
    let lastTs = -Infinity;
    let lastRel = -1;
    let i = 0;
    for (; i < n; i++) {
      const t = Number(raw.readBigInt64BE(i * ENTRY));
      const r = raw.readInt32BE(i * ENTRY + 8);
      if (t <= lastTs || r < lastRel || r < 0) break;
      idx.ts[i] = t;
      idx.rel[i] = r;
      lastTs = t;
      lastRel = r;
    }
    idx.count = i;
    idx.markWritten(i, raw.length / ENTRY);
    return idx;
  }

  protected grow(capacity: number): void {
    const ts = new Float64Array(capacity);
    const rel = new Int32Array(capacity);
    ts.set(this.ts.subarray(0, this.count));
    rel.set(this.rel.subarray(0, this.count));
    this.ts = ts;
    this.rel = rel;
  }

  protected capacity(): number {
    return this.ts.length;
  }

  protected encode(i: number, out: Buffer, at: number): void {
    out.writeBigInt64BE(BigInt(this.ts[i]!), at);
    out.writeInt32BE(this.rel[i]!, at + 8);
  }

  lastTimestamp(): number {
    return this.count === 0 ? -Infinity : this.ts[this.count - 1]!;
  }

  lastRel(): number {
    return this.count === 0 ? -1 : this.rel[this.count - 1]!;
  }

  /** Adds (ts, rel) if ts is above the last entry's timestamp. */
  maybeAppend(ts: number, rel: number): void {
    if (ts <= this.lastTimestamp()) return;
    this.ensureRoom();
    this.ts[this.count] = ts;
    this.rel[this.count] = rel;
    this.count++;
  }

  /** Relative offset to start a search for `target`: the last entry with ts <= target, else 0. */
  lookup(target: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[mid]! <= target) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best < 0 ? 0 : this.rel[best]!;
  }

  /** Drops entries for relative offsets >= rel (the log was truncated there). */
  truncateToRel(rel: number): void {
    let i = this.count;
    while (i > 0 && this.rel[i - 1]! >= rel) i--;
    this.dropFrom(i);
  }
}
