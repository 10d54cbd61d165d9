import type { ObjectSchema } from './schema.js';

export const DOMAINS = ['identity', 'checkout', 'delivery', 'email', 'video'] as const;
export type DomainName = (typeof DOMAINS)[number];

/**
 * The three shapes of the same business fact:
 * - notification: thin; ids, the type and where to look (the consumer calls back for details);
 * - state: event-carried state transfer; the entity's whole current state in every event;
 * - sourcing: the fine-grained domain event; state is rebuilt by folding them.
 */
export const SHAPES = ['notification', 'state', 'sourcing'] as const;
export type Shape = (typeof SHAPES)[number];

/** Optional event types that are only generated when switched on (`--with`). */
export const EXTENSIONS = ['terms-agreed'] as const;
export type Extension = (typeof EXTENSIONS)[number];

/** Faults injected on purpose; each marked in the record's `eb_fault` header. */
export type Fault = 'duplicate' | 'out-of-order' | 'late';

/** One event type of the catalogue. */
export interface EventTypeDef {
  readonly domain: DomainName;
  /** Short name, unique within its domain: "order-placed". */
  readonly name: string;
  /** Catalogue id, unique overall: "checkout.order-placed". */
  readonly id: string;
  /** The CloudEvents type: "eventbench.checkout.order-placed.v1". */
  readonly ceType: string;
  readonly description: string;
  /** States this event may follow; empty for the event that creates the entity. */
  readonly from: readonly string[];
  /** The entity's state after the event. */
  readonly to: string;
  /** The sourcing-shape payload. */
  readonly data: ObjectSchema;
  /** Only generated when this extension is switched on. */
  readonly extension?: Extension;
}

/** A fine-grained event as the reference fold reads it. */
export interface SourcingEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** ce_time, RFC 3339. */
  readonly time: string;
}

/** The ids of other entities a notification carries. */
export type LinkName = 'userId' | 'orderId';
export type Links = Partial<Record<LinkName, string | null>>;

export interface DomainDef {
  readonly name: DomainName;
  readonly description: string;
  /** The entity whose lifecycle the domain's events describe, e.g. "order". */
  readonly entity: string;
  /** The collection in a notification's href: eventbench://checkout/orders/<id>. */
  readonly collection: string;
  /** Ids look like `<idPrefix>-1a2b3c4d`. */
  readonly idPrefix: string;
  /** The state field holding the entity id, e.g. "orderId". */
  readonly idField: string;
  readonly states: readonly string[];
  readonly terminal: readonly string[];
  readonly types: readonly EventTypeDef[];
  /** The state-shape payload: the entity's whole current state. */
  readonly state: ObjectSchema;
  readonly links: readonly LinkName[];
  /**
   * The reference fold: the entity's state after one more event. Pure; types it does not know
   * leave the state unchanged, as a consumer that predates an event type would.
   */
  apply(state: EntityState | undefined, event: SourcingEvent): EntityState;
}

export type EntityState = Readonly<Record<string, unknown>>;

export function defineType(
  domain: DomainName,
  name: string,
  spec: {
    description: string;
    from: readonly string[];
    to: string;
    data: ObjectSchema;
    extension?: Extension;
  },
): EventTypeDef {
  return { domain, name, id: `${domain}.${name}`, ceType: `eventbench.${domain}.${name}.v1`, ...spec };
}
