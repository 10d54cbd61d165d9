import { ALL_TYPES } from '../../events/index.js';
import type { ProjectionDef } from '../types.js';
import { StateApplier } from './apply.js';
import { decodeState, STATE_DOMAINS, type StateEventIn } from './events.js';
import { STATE_SCHEMA, STATE_TABLES } from './schema.js';

/** A replica of customers, orders and deliveries from fat events: no callbacks, works when the source is down. */
export const stateTransfer: ProjectionDef<StateEventIn> = {
  name: 'state-transfer',
  pattern: 'state-transfer',
  summary:
    'Event-carried state transfer: a local replica of customers, orders and deliveries, zero callbacks',
  domains: STATE_DOMAINS,
  shape: 'state',
  knownTypes: new Set(ALL_TYPES.filter((t) => STATE_DOMAINS.includes(t.domain)).map((t) => t.id)),
  tables: STATE_TABLES,
  schema: STATE_SCHEMA,
  decode: decodeState,
  prepare: (db) => new StateApplier(db),
  changedRows: (e) => {
    const table = e.domain === 'identity' ? 'customers' : e.domain === 'checkout' ? 'orders' : 'deliveries';
    const col = e.domain === 'identity' ? 'user_id' : e.domain === 'checkout' ? 'order_id' : 'delivery_id';
    return [{ table, where: `${col} = ?`, id: e.id }];
  },
};

/** Bytes of source data the replica keeps a copy of (the docs). */
export const DUPLICATED_BYTES_SQL =
  'SELECT (SELECT COALESCE(SUM(length(CAST(doc AS BLOB))), 0) FROM customers) + (SELECT COALESCE(SUM(length(CAST(doc AS BLOB))), 0) FROM orders) + (SELECT COALESCE(SUM(length(CAST(doc AS BLOB))), 0) FROM deliveries) AS bytes';
