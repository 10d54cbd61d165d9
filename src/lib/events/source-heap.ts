import type { Source } from './stream.js';

/**
 * A binary min-heap of sources by (emission time of the next record, tie). Thousands of
 * entities are in flight; keeping the keys in typed arrays keeps the sift loops in cache instead
 * of chasing a pointer per comparison.
 */
export class SourceHeap {
  private sources: Source[] = [];
  private at = new Float64Array(1024);
  private ties = new Float64Array(1024);
  size = 0;

  peek(): Source | undefined {
    return this.size ? this.sources[0] : undefined;
  }

  peekAt(): number {
    return this.at[0] as number;
  }

  push(s: Source): void {
    if (this.size === this.at.length) {
      const at = new Float64Array(this.size * 2);
      const ties = new Float64Array(this.size * 2);
      at.set(this.at);
      ties.set(this.ties);
      this.at = at;
      this.ties = ties;
    }
    let i = this.size++;
    const at = s.at;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pa = this.at[p] as number;
      if (pa < at || (pa === at && (this.ties[p] as number) < s.tie)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, s);
  }

  /** Removes the top source. */
  pop(): void {
    const n = --this.size;
    const last = this.sources[n] as Source;
    this.sources.length = n;
    if (n > 0) this.sift(last);
  }

  /** The top source advanced: re-place it by its next emission. */
  advanceTop(): void {
    this.sift(this.sources[0] as Source);
  }

  private sift(s: Source): void {
    const n = this.size;
    const at = s.at;
    const tie = s.tie;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let m = l;
      if (r < n) {
        const la = this.at[l] as number;
        const ra = this.at[r] as number;
        if (ra < la || (ra === la && (this.ties[r] as number) < (this.ties[l] as number))) m = r;
      }
      const ma = this.at[m] as number;
      if (at < ma || (at === ma && tie < (this.ties[m] as number))) break;
      this.move(m, i);
      i = m;
    }
    this.set(i, s);
  }

  private move(from: number, to: number): void {
    this.sources[to] = this.sources[from] as Source;
    this.at[to] = this.at[from] as number;
    this.ties[to] = this.ties[from] as number;
  }

  private set(i: number, s: Source): void {
    this.sources[i] = s;
    this.at[i] = s.at;
    this.ties[i] = s.tie;
  }
}
