import { rngFor } from './prng.js';
import type { Fault } from './types.js';
import { MIN } from './plan/context.js';

/** The fields of a planned event that fault injection reads and rewrites. */
export interface Emittable {
  /** Business time: the record timestamp and ce_time. Never changed by a fault. */
  readonly ts: number;
  /** Simulated time at which the record is emitted (the merge order). */
  at: number;
  /** Tie-break among events emitted at the same `at` within a journey. */
  seq: number;
  fault: Fault | undefined;
}

export interface FaultRates {
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly late: number;
}

export function anyFaults(f: FaultRates): boolean {
  return f.duplicates > 0 || f.outOfOrder > 0 || f.late > 0;
}

/**
 * Injects faults into one entity's events (in business-time order, `at` = `ts`, consecutive
 * `seq`), appending duplicates to `out`. Every event takes exactly three draws from the entity's
 * own fault stream whatever the rates, so turning one knob up never moves another knob's faults
 * and never changes the data.
 *
 * - duplicate: an exact copy (same ce_id, value and timestamp) right after the original, as a
 *   producer retry after a lost acknowledgement writes it. The copy is marked.
 * - out-of-order: the event is emitted just after its successor of the same key. The held-back
 *   event is marked. Never two in a row, so each mark names exactly one late-comer.
 * - late: the event is emitted 1 to 10 simulated minutes after its business time, behind later
 *   events of its own and other entities (think of a phone that was offline). Marked.
 */
export function injectFaults<E extends Emittable>(
  seed: string,
  entityId: string,
  events: readonly E[],
  rates: FaultRates,
  clone: (e: E) => E,
  out: E[],
): void {
  const rng = rngFor(seed, 'faults', entityId);
  const n = events.length;
  const draws = new Array<[boolean, boolean, boolean, number]>(n);
  for (let i = 0; i < n; i++)
    draws[i] = [
      rng.chance(rates.duplicates),
      rng.chance(rates.outOfOrder),
      rng.chance(rates.late),
      rng.int(1 * MIN, 10 * MIN),
    ];
  let previousHeld = false;
  for (let i = 0; i < n; i++) {
    const e = events[i] as E;
    const [dup, ooo, late, delay] = draws[i] as [boolean, boolean, boolean, number];
    const next = events[i + 1];
    // Holding an event behind a successor that is itself late would not reorder anything.
    const nextLate = draws[i + 1]?.[2] ?? false;
    if (late) {
      e.at = e.ts + delay;
      e.fault = 'late';
      previousHeld = false;
    } else if (ooo && next && !nextLate && !previousHeld) {
      e.at = next.ts;
      e.seq = next.seq + 0.5;
      e.fault = 'out-of-order';
      previousHeld = true;
    } else {
      previousHeld = false;
    }
    if (dup) {
      const d = clone(e);
      d.seq = e.seq + 0.25;
      d.fault = 'duplicate';
      out.push(d);
    }
  }
}
