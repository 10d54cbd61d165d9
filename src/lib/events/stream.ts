import { eventId, type Step } from './domains/common.js';
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

/** A record to emit: the event, when (simulated emission time) and which fault it shows. */
export interface Emission {
  readonly ev: PlannedEvent;
  readonly at: number;
  readonly fault: Fault | undefined;
}

/** Something in the emission heap: it knows its next emission. */
export interface Source {
  /** Emission time of current(). */
  at: number;
  /** Journey index * 64 + entity index: the tie-break for equal times. */
  readonly tie: number;
  current(): Emission;
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
  /** The last emitted event, whose ce_id is usually the next one's causation_id. */
  lastDef: EventTypeDef | null = null;
  lastN = 0;
  lastId = '';
  at = 0;

  private readonly counts: number[] = [];
  private prevDef: EventTypeDef | null = null;
  private prevN = 0;
  private state: EntityState | undefined;
  private readonly faultRng: Rng | null;
  private finished = false;
  private ahead: PlannedEvent | undefined;
  private queue: Emission[] = [];
  private qi = 0;

  constructor(
    private readonly spec: EntitySpec,
    correlation: Buffer,
    private readonly ctx: StreamContext,
  ) {
    this.id = spec.id;
    this.domain = spec.domain;
    this.links = spec.links;
    this.key = Buffer.from(spec.id);
    this.correlation = correlation;
    this.causedBy = spec.causedBy;
    this.tie = spec.journey.k * 64 + spec.index;
    this.faultRng = ctx.faults ? rngFor(ctx.seed, 'faults', spec.id) : null;
  }

  /** Plans the first step; false when the lifecycle is empty (the entity never begins). */
  start(out: Source[]): boolean {
    return this.fill(out);
  }

  current(): Emission {
    return this.queue[this.qi] as Emission;
  }

  advance(out: Source[]): boolean {
    if (++this.qi < this.queue.length) {
      this.at = (this.queue[this.qi] as Emission).at;
      return true;
    }
    return this.fill(out);
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
    const q: Emission[] = [];
    while (q.length === 0) {
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
          q.push({ ev: y, at: y.ts, fault: undefined });
          if (y.draw?.duplicate) q.push({ ev: y, at: y.ts, fault: 'duplicate' });
          q.push({ ev: x, at: y.ts, fault: 'out-of-order' });
          if (d.duplicate) q.push({ ev: x, at: y.ts, fault: 'duplicate' });
          break;
        }
        this.ahead = y;
      }
      q.push({ ev: x, at: x.ts, fault: undefined });
      if (d?.duplicate) q.push({ ev: x, at: x.ts, fault: 'duplicate' });
    }
    this.queue = q;
    this.qi = 0;
    this.at = (q[0] as Emission).at;
    return true;
  }
}

/** A late event (and its duplicate, if it has one), emitted on its own schedule. */
class LateSource implements Source {
  private i = 0;
  constructor(
    private readonly ev: PlannedEvent,
    public at: number,
    private readonly duplicate: boolean,
    readonly tie: number,
  ) {}
  current(): Emission {
    return { ev: this.ev, at: this.at, fault: this.i === 0 ? 'late' : 'duplicate' };
  }
  advance(): boolean {
    return ++this.i === 1 && this.duplicate;
  }
}

export function ceIdOf(ev: PlannedEvent): string {
  return eventId(ev.entity.id, ev.def.name, ev.n);
}

/** causation_id: the entity's previous event, else the cross-entity cause, else itself (a root). */
export function causationOf(ev: PlannedEvent): string {
  const e = ev.entity;
  if (ev.causeDef && e.lastDef === ev.causeDef && e.lastN === ev.causeN) return e.lastId;
  if (ev.causeDef) return eventId(e.id, ev.causeDef.name, ev.causeN);
  return e.causedBy ?? ceIdOf(ev);
}
