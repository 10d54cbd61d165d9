// A Clock whose time moves only when the test says so; timers fire in deadline order.
import type { Clock } from '../../../../src/lib/broker/context.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private t = 1_700_000_000_000;
  private seq = 0;
  private timers: Pending[] = [];

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const p: Pending = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(p);
    return { cancel: () => void (p.cancelled = true) };
  }

  /** Live timers (for checking that nothing is left behind). */
  get pending(): number {
    return this.timers.filter((p) => !p.cancelled).length;
  }

  /** Moves time forward, firing every timer due on the way (including ones they schedule). */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((p) => !p.cancelled);
      const next = this.timers.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      next.cancelled = true;
      next.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

/** Lets resolved promises run their continuations. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}
