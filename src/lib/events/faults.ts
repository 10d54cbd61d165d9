import type { Rng } from './prng.js';
import { MIN } from './plan/context.js';

export interface FaultRates {
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly late: number;
}

export function anyFaults(f: FaultRates): boolean {
  return f.duplicates > 0 || f.outOfOrder > 0 || f.late > 0;
}

/**
 * The fault decisions for one event. Every event takes exactly four draws from its entity's
 * fault stream whatever the rates, so turning one knob up never moves another knob's faults and
 * never changes the data.
 *
 * - duplicate: an exact copy (same ce_id, value and timestamp) right after the original, as a
 *   producer retry after a lost acknowledgement writes it. The copy is marked.
 * - out-of-order: the event is emitted just after its successor of the same key (unless that
 *   one is late). The held-back event is marked; its successor is never held itself.
 * - late: the event is emitted 1 to 10 simulated minutes after its business time, behind later
 *   events of its own and other entities (think of a phone that was offline). Marked.
 */
export interface FaultDraw {
  readonly duplicate: boolean;
  readonly outOfOrder: boolean;
  readonly late: boolean;
  /** Milliseconds a late event is held. */
  readonly delay: number;
}

export function drawFaults(rng: Rng, rates: FaultRates): FaultDraw {
  return {
    duplicate: rng.chance(rates.duplicates),
    outOfOrder: rng.chance(rates.outOfOrder),
    late: rng.chance(rates.late),
    delay: rng.int(1 * MIN, 10 * MIN),
  };
}
