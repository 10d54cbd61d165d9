/**
 * The sparse offset index of one segment (Kafka's .index): entries of (offset relative to the
 * segment's base, file position of the batch starting at that offset), both int32 big-endian,
 * one entry every index.interval.bytes of log. A lookup finds the last entry at or before an
 * offset; the caller then walks a few batch headers from that position.
 */
import { IndexFile } from './index-file.js';

const ENTRY = 8;

export class OffsetIndex extends IndexFile {
  private rel = new Int32Array(0);
  private pos = new Int32Array(0);

  constructor(path: string) {
    super(path, ENTRY);
  }

  /**
   * Loads the file, keeping the longest valid prefix: offsets and positions strictly increasing
   * and positions inside the log. Anything after the first bad entry is dropped (and removed from
   * the file on the next persist).
   */
  static load(path: string, logSize: number): OffsetIndex {
    const idx = new OffsetIndex(path);
    const raw = IndexFile.readRaw(path);
    const n = Math.floor(raw.length / ENTRY);
    idx.grow(Math.max(64, n));
    let lastRel = -1;
    let lastPos = -1;
    let i = 0;
    for (; i < n; i++) {
      const r = raw.readInt32BE(i * ENTRY);
      const p = raw.readInt32BE(i * ENTRY + 4);
      if (r <= lastRel || p <= lastPos || p >= logSize) break;
      idx.rel[i] = r;
      idx.pos[i] = p;
      lastRel = r;
      lastPos = p;
    }
    idx.count = i;
    idx.markWritten(i, raw.length / ENTRY);
    return idx;
  }

  protected grow(capacity: number): void {
    const rel = new Int32Array(capacity);
    const pos = new Int32Array(capacity);
    rel.set(this.rel.subarray(0, this.count));
    pos.set(this.pos.subarray(0, this.count));
    this.rel = rel;
    this.pos = pos;
  }

  protected capacity(): number {
    return this.rel.length;
  }

  protected encode(i: number, out: Buffer, at: number): void {
    out.writeInt32BE(this.rel[i]!, at);
    out.writeInt32BE(this.pos[i]!, at + 4);
  }

  append(relOffset: number, position: number): void {
    this.ensureRoom();
    this.rel[this.count] = relOffset;
    this.pos[this.count] = position;
    this.count++;
  }

  lastRel(): number {
    return this.count === 0 ? -1 : this.rel[this.count - 1]!;
  }

  lastPosition(): number {
    return this.count === 0 ? 0 : this.pos[this.count - 1]!;
  }

  /** File position to start scanning for relative offset `rel`: the last entry <= rel, else 0. */
  lookup(rel: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rel[mid]! <= rel) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best < 0 ? 0 : this.pos[best]!;
  }

  /** Drops entries pointing at or past `position` (the log was truncated there). */
  truncateToPosition(position: number): void {
    let i = this.count;
    while (i > 0 && this.pos[i - 1]! >= position) i--;
    this.dropFrom(i);
  }

  /** Drops entries for relative offsets >= rel. */
  truncateToRel(rel: number): void {
    let i = this.count;
    while (i > 0 && this.rel[i - 1]! >= rel) i--;
    this.dropFrom(i);
  }
}
