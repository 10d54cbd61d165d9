import { output } from './output.js';

/**
 * A one-line progress display on stderr, redrawn at most every 100 ms, only when stderr is a
 * terminal. In pipes and CI it stays silent, so logs hold only results.
 */
export class Progress {
  private last = 0;
  private readonly started = Date.now();
  private shown = false;
  private readonly enabled: boolean;

  constructor(
    private readonly label: string,
    private readonly total?: number,
    enabled?: boolean,
  ) {
    this.enabled = enabled ?? output().stderrIsTTY;
  }

  update(done: number, extra = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? Math.round(done / secs) : 0;
    let bar = '';
    if (this.total && this.total > 0) {
      const width = 24;
      const filled = Math.min(width, Math.round((done / this.total) * width));
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor((done / this.total) * 100)}% `;
    }
    process.stderr.write(
      `\r\x1b[2K${this.label} ${bar}${done.toLocaleString('en-US')} (${rate.toLocaleString('en-US')}/s)${extra ? ' ' + extra : ''}`,
    );
    this.shown = true;
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
