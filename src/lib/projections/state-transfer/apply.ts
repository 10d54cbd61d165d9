import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import type { Applier, SideEffect } from '../types.js';
import type { StateEventIn } from './events.js';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Upserts the entity's latest state. A state older than the one stored (a late or reordered
 * event) is ignored: with state transfer the newest state wins, compared by its updatedAt.
 */
export class StateApplier implements Applier<StateEventIn> {
  private readonly customers: Statement;
  private readonly orders: Statement;
  private readonly deliveries: Statement;

  constructor(db: Db) {
    const upsert = (table: string, key: string, cols: string[]) =>
      db.prepare(
        `INSERT INTO ${table}(${[key, ...cols].join(', ')}) VALUES (${[key, ...cols].map((c) => '@' + c).join(', ')})
         ON CONFLICT(${key}) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}
         WHERE excluded.updated_at >= ${table}.updated_at`,
      );
    this.customers = upsert('customers', 'user_id', [
      'email',
      'display_name',
      'status',
      'city',
      'updated_at',
      'doc',
    ]);
    this.orders = upsert('orders', 'order_id', [
      'user_id',
      'status',
      'total_cents',
      'item_count',
      'updated_at',
      'doc',
    ]);
    this.deliveries = upsert('deliveries', 'delivery_id', [
      'order_id',
      'user_id',
      'status',
      'courier_id',
      'updated_at',
      'doc',
    ]);
  }

  apply(e: StateEventIn): SideEffect[] | undefined {
    const s = e.state;
    const updated_at = str(s.updatedAt);
    if (e.domain === 'identity') {
      const address = s.address as { city?: unknown } | null | undefined;
      this.customers.run({
        user_id: e.id,
        email: str(s.email),
        display_name: str(s.displayName),
        status: str(s.status),
        city: str(address?.city),
        updated_at,
        doc: e.doc,
      });
    } else if (e.domain === 'checkout') {
      this.orders.run({
        order_id: e.id,
        user_id: str(s.userId),
        status: str(s.status),
        total_cents: typeof s.totalCents === 'number' ? s.totalCents : null,
        item_count: Array.isArray(s.items) ? s.items.length : null,
        updated_at,
        doc: e.doc,
      });
    } else if (e.domain === 'delivery') {
      this.deliveries.run({
        delivery_id: e.id,
        order_id: str(s.orderId),
        user_id: str(s.userId),
        status: str(s.status),
        courier_id: str(s.courierId),
        updated_at,
        doc: e.doc,
      });
    }
    return undefined;
  }
}
