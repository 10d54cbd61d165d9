import { ALL_TYPES } from '../../events/index.js';
import type { ProjectionDef } from '../types.js';
import { SourcingApplier } from './apply.js';
import { decodeSourcing, SOURCING_DOMAINS, type SourcingEventIn } from './events.js';
import { SOURCING_SCHEMA, SOURCING_TABLES } from './schema.js';

function typesOf(exclude: readonly string[]): ReadonlySet<string> {
  return new Set(
    ALL_TYPES.filter((t) => SOURCING_DOMAINS.includes(t.domain) && !exclude.includes(t.id)).map((t) => t.id),
  );
}

function sourcingProjection(
  name: string,
  summary: string,
  exclude: readonly string[],
): ProjectionDef<SourcingEventIn> {
  const known = typesOf(exclude);
  return {
    name,
    pattern: 'event-sourcing',
    summary,
    domains: SOURCING_DOMAINS,
    shape: 'sourcing',
    knownTypes: known,
    tables: SOURCING_TABLES,
    schema: SOURCING_SCHEMA,
    decode: (r) => decodeSourcing(r, known),
    prepare: (db) => new SourcingApplier(db),
    changedRows: (e) =>
      e.domain === 'checkout'
        ? [
            { table: 'orders', where: 'order_id = ?', id: e.entityId },
            { table: 'order_items', where: 'order_id = ? ORDER BY position', id: e.entityId },
          ]
        : [{ table: 'deliveries', where: 'delivery_id = ?', id: e.entityId }],
  };
}

/** Orders and deliveries folded from fine-grained events; knows every type, terms-agreed included. */
export const sourcing = sourcingProjection(
  'sourcing',
  'Event sourcing: order and delivery aggregates rebuilt from fine-grained events (knows terms-agreed)',
  [],
);

/**
 * The same projector as it was written before the terms-agreed regulation: it skips and counts
 * the new type and keeps working, which is what a consumer of an evolving stream must do.
 */
export const sourcingLegacy = sourcingProjection(
  'sourcing-legacy',
  'Event sourcing, written before terms-agreed existed: skips and counts that type',
  ['checkout.terms-agreed'],
);
