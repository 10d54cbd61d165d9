import { eventId, type EntityPlan } from './domains/common.js';
import { anyFaults, injectFaults, type Emittable, type FaultRates } from './faults.js';
import { notificationValue } from './shapes.js';
import type { DomainDef, EntityState, EventTypeDef, Fault, Links, Shape } from './types.js';
import { iso } from './world.js';

/** What all events of one entity share. */
export interface EntityRuntime {
  readonly id: string;
  readonly domain: DomainDef;
  readonly links: Links;
  /** The entity id as bytes: the record key and ce_subject of all its records. */
  readonly key: Buffer;
  /** correlation_id as bytes, shared by the whole journey. */
  readonly correlation: Buffer;
  /** ce_id of the event in another entity that caused this entity's first event. */
  readonly causedBy: string | null;
  /** The last emitted event, whose ce_id is usually the next one's causation_id. */
  lastDef: EventTypeDef | null;
  lastN: number;
  lastId: string;
}

/**
 * One event of a journey waiting to be emitted. Deliberately small: thousands of journeys are in
 * flight, so the payload is kept as its JSON text (one flat string instead of an object graph
 * for the garbage collector to trace and copy) and ids are rebuilt when the record is made.
 */
export interface PlannedEvent extends Emittable {
  readonly entity: EntityRuntime;
  readonly def: EventTypeDef;
  /** The value, serialised in the requested shape. */
  readonly json: string;
  /** This is the n-th event of its type in the entity (ce_id is `<id>:<type>:<n>`). */
  readonly n: number;
  /**
   * The entity's previous event (the cause) as type and occurrence, null for its first. Not a
   * pointer to it: an emitted event must become garbage while its successors wait.
   */
  readonly causeDef: EventTypeDef | null;
  readonly causeN: number;
  /** Entity index * 4096 + step index: the tie-break for equal business times. */
  readonly ord: number;
  fault: Fault | undefined;
}

export function ceIdOf(ev: PlannedEvent): string {
  return eventId(ev.entity.id, ev.def.name, ev.n);
}

/** causation_id: the entity's previous event, else the cross-entity cause, else itself (a root). */
export function causationOf(ev: PlannedEvent): string {
  const e = ev.entity;
  if (ev.causeDef && e.lastDef === ev.causeDef && e.lastN === ev.causeN) return e.lastId;
  if (ev.causeDef) return eventId(ev.entity.id, ev.causeDef.name, ev.causeN);
  return ev.entity.causedBy ?? ceIdOf(ev);
}

/**
 * Turns a journey's entity plans into its events in emission order: business-time order across
 * entities (ties: entity order, then step order), with faults injected per entity. For the state
 * shape every value is the fold of its entity's events up to and including itself; the fold
 * follows business order, so a held-back or late event still carries the state as of its own
 * time.
 */
export function journeyEvents(
  plans: readonly EntityPlan[],
  userId: string,
  shape: Shape,
  seed: string,
  faults: FaultRates,
): PlannedEvent[] {
  const correlation = Buffer.from(eventId(userId, 'user-registered'));
  const withFaults = anyFaults(faults);
  const perEntity: PlannedEvent[][] = [];
  const all: PlannedEvent[] = [];
  for (let e = 0; e < plans.length; e++) {
    const plan = plans[e] as EntityPlan;
    const entity: EntityRuntime = {
      id: plan.id,
      domain: plan.domain,
      links: plan.links,
      key: Buffer.from(plan.id),
      correlation,
      causedBy: plan.causedBy,
      lastDef: null,
      lastN: 0,
      lastId: '',
    };
    // Occurrences per type, indexed like domain.types (at most nine): cheaper than a Map.
    const seen: number[] = [];
    let state: EntityState | undefined;
    let causeDef: EventTypeDef | null = null;
    let causeN = 0;
    const list: PlannedEvent[] = [];
    for (let i = 0; i < plan.steps.length; i++) {
      const step = plan.steps[i] as EntityPlan['steps'][number];
      const name = step.def.name;
      const ti = plan.domain.types.indexOf(step.def);
      const n = (seen[ti] ?? 0) + 1;
      seen[ti] = n;
      let value: object = step.data;
      if (shape === 'state') {
        state = plan.domain.apply(state, { type: name, data: step.data, time: iso(step.ts) });
        value = state;
      } else if (shape === 'notification') {
        value = notificationValue(plan.domain, step.def, plan.id, plan.links);
      }
      const ev: PlannedEvent = {
        ts: step.ts,
        at: step.ts,
        seq: 0,
        entity,
        def: step.def,
        json: JSON.stringify(value),
        n,
        causeDef,
        causeN,
        ord: e * 4096 + i,
        fault: undefined,
      };
      causeDef = step.def;
      causeN = n;
      if (withFaults) list.push(ev);
      all.push(ev);
    }
    perEntity.push(list);
  }
  all.sort((a, b) => a.ts - b.ts || a.ord - b.ord);
  for (let i = 0; i < all.length; i++) (all[i] as PlannedEvent).seq = i;
  if (!withFaults) return all;

  const dups: PlannedEvent[] = [];
  perEntity.forEach((list, e) => {
    injectFaults(seed, (plans[e] as EntityPlan).id, list, faults, (x) => ({ ...x }), dups);
  });
  all.push(...dups);
  all.sort((a, b) => a.at - b.at || a.seq - b.seq);
  return all;
}
