import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import type { Applier, SideEffect } from '../types.js';
import type { SourcingEventIn } from './events.js';
import { applyDelivery, applyOrder, type Item, type OrderAgg, type Row } from './fold.js';
import { DELIVERY_COLUMNS, ORDER_COLUMNS } from './schema.js';

/** Most cart lines per INSERT statement. */
const ITEMS_PER_INSERT = 8;

/** The events that change a cart: the cart is then written back whole (a few rows). */
const CART_TYPES = new Set(['cart-created', 'item-added', 'item-removed']);

const upsert = (table: string, cols: readonly string[]) =>
  `INSERT INTO ${table}(${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
   ON CONFLICT(${cols[0]}) DO UPDATE SET ${cols
     .slice(1)
     .map((c) => `${c} = excluded.${c}`)
     .join(', ')}`;

/**
 * The event-sourcing projector. The folds in fold.ts move aggregates in memory; this class is
 * their store: it loads an aggregate the first time a transaction touches it and writes every
 * touched aggregate back once, in flush(), inside the same transaction as the checkpoint. A
 * delivery with ten location updates in one transaction costs one row write, not ten UPDATEs.
 * An upsert (not INSERT OR REPLACE) keeps a row's rowid, so rows stay in creation order.
 *
 * A ce_id already applied to its entity is skipped: a producer retry or an injected duplicate
 * writes an event twice. eb_seen_events keeps each entity's applied ids; it is read and written
 * like an aggregate, once per entity and transaction.
 */
export class SourcingApplier implements Applier<SourcingEventIn> {
  private readonly orders = new Map<string, OrderAgg & { itemsChanged: boolean }>();
  private readonly deliveries = new Map<string, Row | null>();
  /** Per entity touched in this transaction: the ce_ids applied, and whether that grew. */
  private readonly seen = new Map<string, { ids: Set<string>; grew: boolean }>();
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      seenGet: p('SELECT ce_ids FROM eb_seen_events WHERE entity = ?').pluck(),
      seenPut: p(
        'INSERT INTO eb_seen_events(entity, ce_ids) VALUES (?, ?) ON CONFLICT(entity) DO UPDATE SET ce_ids = excluded.ce_ids',
      ),
      orderGet: p('SELECT * FROM orders WHERE order_id = ?'),
      orderPut: p(upsert('orders', ORDER_COLUMNS)),
      itemsGet: p(
        'SELECT sku, name, quantity, unit_price_cents, position FROM order_items WHERE order_id = ? ORDER BY position',
      ),
      itemsClear: p('DELETE FROM order_items WHERE order_id = ?'),
      ...Object.fromEntries(
        Array.from({ length: ITEMS_PER_INSERT }, (_, i) => [
          `items${i + 1}`,
          p(
            `INSERT INTO order_items(order_id, sku, name, quantity, unit_price_cents, position) VALUES ${Array.from({ length: i + 1 }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
          ),
        ]),
      ),
      deliveryGet: p('SELECT * FROM deliveries WHERE delivery_id = ?'),
      deliveryPut: p(upsert('deliveries', DELIVERY_COLUMNS)),
    };
  }

  apply(e: SourcingEventIn): SideEffect[] | undefined {
    const seen = this.seenOf(e.entityId);
    if (seen.ids.has(e.ceId)) return undefined;
    seen.ids.add(e.ceId);
    seen.grew = true;
    if (e.domain === 'checkout') {
      const agg = this.order(e.entityId, e.type === 'cart-created');
      if (CART_TYPES.has(e.type)) agg.itemsChanged = true;
      return applyOrder(agg, e);
    }
    const d = applyDelivery(this.delivery(e.entityId, e.type === 'order-accepted'), e);
    this.deliveries.set(e.entityId, d.row);
    return d.effects;
  }

  /** Writes every aggregate touched since the last flush; the caller commits right after. */
  flush(): void {
    const s = this.s;
    for (const [id, agg] of this.orders) {
      if (agg.row) s.orderPut!.run(ORDER_COLUMNS.map((c) => agg.row![c] ?? null));
      if (!agg.itemsChanged) continue;
      s.itemsClear!.run(id);
      // A cart's lines in as few statements as possible (one for up to ITEMS_PER_INSERT lines).
      for (let from = 0; from < agg.items.length; from += ITEMS_PER_INSERT) {
        const lines = agg.items.slice(from, from + ITEMS_PER_INSERT);
        s[`items${lines.length}`]!.run(
          lines.flatMap((i) => [id, i.sku, i.name, i.quantity, i.unit_price_cents, i.position]),
        );
      }
    }
    for (const row of this.deliveries.values())
      if (row) s.deliveryPut!.run(DELIVERY_COLUMNS.map((c) => row[c] ?? null));
    for (const [entity, seen] of this.seen) if (seen.grew) s.seenPut!.run(entity, [...seen.ids].join('\n'));
    this.discard();
  }

  /** The transaction rolled back (or was flushed): forget what memory holds of it. */
  discard(): void {
    this.orders.clear();
    this.deliveries.clear();
    this.seen.clear();
  }

  private seenOf(entity: string): { ids: Set<string>; grew: boolean } {
    let seen = this.seen.get(entity);
    if (!seen) {
      const stored = this.s.seenGet!.get(entity) as string | undefined;
      seen = { ids: new Set(stored ? stored.split('\n') : []), grew: false };
      this.seen.set(entity, seen);
    }
    return seen;
  }

  /** The aggregate as of now; `creates`: the event replaces it whole, so nothing is read. */
  private order(id: string, creates: boolean): OrderAgg & { itemsChanged: boolean } {
    let agg = this.orders.get(id);
    if (!agg) {
      const row = creates ? null : ((this.s.orderGet!.get(id) as Row | undefined) ?? null);
      const items = creates ? [] : (this.s.itemsGet!.all(id) as Item[]);
      agg = { row, items, itemsChanged: false };
      this.orders.set(id, agg);
    }
    return agg;
  }

  private delivery(id: string, creates: boolean): Row | null {
    if (this.deliveries.has(id)) return this.deliveries.get(id)!;
    const row = creates ? null : ((this.s.deliveryGet!.get(id) as Row | undefined) ?? null);
    this.deliveries.set(id, row);
    return row;
  }
}
