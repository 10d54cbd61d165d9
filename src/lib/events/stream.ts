import type { Step } from './domains/common.js';
import { drawFaults, type FaultDraw, type FaultRates } from './faults.js';
import type { EntitySpec } from './plan/journey.js';
import { rngFor, type Rng } from './prng.js';
import type { DomainDef, EntityState, EventTypeDef, Fault, Links, Shape } from './types.js';
import { iso } from './world.js';

/** One planned event with what its record needs. Lives only from planning to emission. */
export interface PlannedEvent {
  readonly entity: EntityCursor;
  readonly def: EventTypeDef;
  readonly ts: number;
  readonly data: Record<string, unknown>;
  /** This is the n-th event of its type in the entity (ce_id is `<id>:<type>:<n>`). */
  readonly n: number;
  /** The entity's previous event (the cause), as type and occurrence; null for its first. */
  readonly causeDef: EventTypeDef | null;
  readonly causeN: number;
  /** The entity's state after this event (state shape only). */
  readonly state: EntityState | undefined;
  readonly draw: FaultDraw | null;
}

/**
 * Something in the emission heap: it knows its next emission (an event, when it leaves in
 * simulated time, and which fault it shows). Fields rather than an object per emission: one
 * less allocation per record.
 */
export interface Source {
  /** Emission time of the current record. */
  at: number;
  /** The current record's event and fault. */
  ev: PlannedEvent;
  fault: Fault | undefined;
  /** Journey index * 64 + entity index: the tie-break for equal times. */
  readonly tie: number;
  /** Moves to the next emission; new sources (late events) go to `out`. False when done. */
  advance(out: Source[]): boolean;
}

export interface StreamContext {
  readonly seed: string;
  readonly shape: Shape;
  readonly faults: FaultRates | null;
}

/**
 * One selected entity: plans its lifecycle one step at a time (a step is planned just before it
 * is due, so thousands of entities can be in flight with little memory), folds its state for
 * the state shape, and turns its faults into the order its records leave in.
 */
export class EntityCursor implements Source {
  readonly id: string;
  readonly domain: DomainDef;
  readonly links: Links;
  /** The entity id as bytes: the record key and ce_subject of all its records. */
  readonly key: Buffer;
  /** correlation_id as bytes. */
  readonly correlation: Buffer;
  readonly causedBy: string | null;
  readonly tie: number;
  at = 0;
  ev!: PlannedEvent;
  fault: Fault | undefined;

  private readonly counts: number[] = [];
  private prevDef: EventTypeDef | null = null;
  private prevN = 0;
  private state: EntityState | undefined;
  private readonly faultRng: Rng | null;
  private finished = false;
  private ahead: PlannedEvent | undefined;
  /**
   * Emissions ready to leave, in order: at most four (a held pair and their duplicates), all at
   * the same emission time. Small fixed arrays: thousands of cursors are alive at once.
   */
  private readonly qEv: (PlannedEvent | undefined)[] = [undefined, undefined, undefined, undefined];
  private readonly qFault: (Fault | undefined)[] = [undefined, undefined, undefined, undefined];
  private qn = 0;
  private qi = 0;

  constructor(
    private readonly spec: EntitySpec,
    private readonly ctx: StreamContext,
  ) {
    this.id = spec.id;
    this.domain = spec.domain;
    this.links = spec.links;
    this.key = Buffer.from(spec.id);
    this.correlation = spec.journey.correlation;
    this.causedBy = spec.causedBy;
    this.tie = spec.journey.k * 64 + spec.index;
    this.faultRng = ctx.faults ? rngFor(ctx.seed, 'faults', spec.id) : null;
  }

  /** Plans the first step; false when the lifecycle is empty (the entity never begins). */
  start(out: Source[]): boolean {
    return this.fill(out);
  }

  advance(out: Source[]): boolean {
    if (++this.qi < this.qn) {
      this.select(this.qi);
      return true;
    }
    // Drop emitted events from the slots a shorter queue will not overwrite.
    if (this.qn > 1) this.qEv.fill(undefined);
    return this.fill(out);
  }

  private select(i: number): void {
    this.ev = this.qEv[i] as PlannedEvent;
    this.fault = this.qFault[i];
  }

  private queue(ev: PlannedEvent, fault: Fault | undefined): void {
    const n = this.qn++;
    this.qEv[n] = ev;
    this.qFault[n] = fault;
  }

  private pull(): PlannedEvent | undefined {
    if (this.finished) return undefined;
    const r = this.spec.steps.next();
    if (r.done) {
      this.finished = true;
      this.spec.journey.onDone(this.spec);
      return undefined;
    }
    const step: Step = r.value;
    this.spec.journey.onStep(this.spec, step);
    const ti = this.domain.types.indexOf(step.def);
    const n = (this.counts[ti] ?? 0) + 1;
    this.counts[ti] = n;
    if (this.ctx.shape === 'state')
      this.state = this.domain.apply(this.state, {
        type: step.def.name,
        data: step.data,
        time: iso(step.ts),
      });
    const ev: PlannedEvent = {
      entity: this,
      def: step.def,
      ts: step.ts,
      data: step.data,
      n,
      causeDef: this.prevDef,
      causeN: this.prevN,
      state: this.state,
      draw: this.faultRng && this.ctx.faults ? drawFaults(this.faultRng, this.ctx.faults) : null,
    };
    this.prevDef = step.def;
    this.prevN = n;
    return ev;
  }

  /** Queues the next emissions in order; false when the entity has no more. */
  private fill(out: Source[]): boolean {
    this.qn = 0;
    while (this.qn === 0) {
      const x = this.ahead ?? this.pull();
      this.ahead = undefined;
      if (!x) return false;
      const d = x.draw;
      if (d?.late) {
        out.push(new LateSource(x, x.ts + d.delay, d.duplicate, this.tie));
        continue;
      }
      if (d?.outOfOrder) {
        const y = this.pull();
        if (y && !y.draw?.late) {
          this.queue(y, undefined);
          if (y.draw?.duplicate) this.queue(y, 'duplicate');
          this.queue(x, 'out-of-order');
          if (d.duplicate) this.queue(x, 'duplicate');
          this.at = y.ts;
          break;
        }
        this.ahead = y;
      }
      this.queue(x, undefined);
      if (d?.duplicate) this.queue(x, 'duplicate');
      this.at = x.ts;
    }
    this.qi = 0;
    this.select(0);
    return true;
  }
}

/** A late event (and its duplicate, if it has one), emitted on its own schedule. */
class LateSource implements Source {
  fault: Fault | undefined = 'late';
  constructor(
    readonly ev: PlannedEvent,
    public at: number,
    private readonly duplicate: boolean,
    readonly tie: number,
  ) {}
  advance(): boolean {
    if (this.fault !== 'late' || !this.duplicate) return false;
    this.fault = 'duplicate';
    return true;
  }
}
