import { s, req } from '../schema.js';
import type { EventTypeDef } from '../types.js';

export interface Address {
  readonly street: string;
  readonly houseNumber: number;
  readonly postcode: string;
  readonly city: string;
  readonly lat: number;
  readonly lon: number;
}

export const addressSchema = s.object(
  {
    street: req(s.string(), 'Street name'),
    houseNumber: req(s.int(1), 'House number'),
    postcode: req(s.string('NL "1234 AB" or BE "2000"', /^\d{4}( [A-Z]{2})?$/), 'Postcode'),
    city: req(s.string(), 'City'),
    lat: req(s.number(-90, 90), 'Latitude of the front door, 5 decimals'),
    lon: req(s.number(-180, 180), 'Longitude of the front door, 5 decimals'),
  },
  'Address',
);

/** One planned event of one entity: its type, business time (epoch ms) and sourcing payload. */
export interface Step {
  readonly def: EventTypeDef;
  readonly ts: number;
  readonly data: Record<string, unknown>;
}

/** An entity's lifecycle, produced lazily: each step is planned just before it is needed. */
export type StepStream = Generator<Step, void, undefined>;

/**
 * The deterministic CloudEvents id: `<entity id>:<type name>:<n>` for the n-th event of that type
 * in the entity. It does not depend on other types, so inserting a new type into a flow leaves the
 * ids (and the causation ids pointing at them) of every other event unchanged.
 */
export function eventId(entityId: string, typeName: string, n = 1): string {
  return `${entityId}:${typeName}:${n}`;
}

/** Makes an entity's steps and refuses a time that does not move forward. */
export class StepClock {
  private last = -Infinity;

  step(def: EventTypeDef, ts: number, data: Record<string, unknown>): Step {
    // Strictly increasing business time per entity is a documented invariant; a planner bug
    // must fail loudly rather than publish an ambiguous order.
    if (!(ts > this.last)) throw new Error(`${def.id} planned at ${ts}, not after ${this.last}`);
    this.last = ts;
    return { def, ts, data };
  }
}
