/**
 * Shared plumbing of the two sparse indexes (.index and .timeindex): entries live in growable
 * typed arrays in memory (lookups never touch the disk), and are appended to their file lazily
 * — on the periodic flush, on roll and on close — because the indexes are not needed for
 * durability: recovery rebuilds the tail segment's entries from the log itself.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

export abstract class IndexFile {
  /** Entries in memory. */
  count = 0;
  /** Entries known to be on disk, in order, identical to memory. */
  protected written = 0;
  private dirtyFromStart = false;

  constructor(
    readonly path: string,
    readonly entrySize: number,
  ) {}

  protected abstract grow(capacity: number): void;
  protected abstract capacity(): number;
  protected abstract encode(i: number, out: Buffer, at: number): void;

  protected ensureRoom(): void {
    if (this.count === this.capacity()) this.grow(Math.max(64, this.capacity() * 2));
  }

  /** Drops entries from index `i` on (memory first; the file follows on the next persist). */
  protected dropFrom(i: number): void {
    if (i >= this.count) return;
    this.count = i;
    if (this.written > i) {
      this.written = i;
      this.dirtyFromStart = true;
    }
  }

  /** Reads the raw file; a missing file is an empty index. */
  protected static readRaw(path: string): Buffer {
    try {
      return readFileSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
      throw err;
    }
  }

  /** Marks the file as needing a rewrite from entry `i` (used after a load found junk). */
  protected markWritten(i: number, fileEntries: number): void {
    this.written = i;
    this.dirtyFromStart = fileEntries !== i;
  }

  needsPersist(): boolean {
    return this.written !== this.count || this.dirtyFromStart;
  }

  /** Appends unwritten entries to the file (truncating any stale tail first); fsyncs if asked. */
  persist(sync: boolean): void {
    if (!this.needsPersist() && !sync) return;
    const fd = openSync(this.path, 'a+');
    try {
      if (this.dirtyFromStart) {
        ftruncateSync(fd, this.written * this.entrySize);
        this.dirtyFromStart = false;
      }
      const n = this.count - this.written;
      if (n > 0) {
        const out = Buffer.allocUnsafe(n * this.entrySize);
        for (let i = 0; i < n; i++) this.encode(this.written + i, out, i * this.entrySize);
        let off = 0;
        while (off < out.length) off += writeSync(fd, out, off, out.length - off);
        this.written = this.count;
      }
      if (sync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
