import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import { DirectSink, type RowSink } from '../sink.js';
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

type OrderEntry = OrderAgg & { itemsChanged: boolean };
/** `absent`: the database holds nothing of this entity (first met in this run of a fresh database). */
type SeenEntry = { ids: Set<string>; grew: boolean; absent: boolean };

/** Past this many entities, a fresh run stops remembering them and reads like any other. */
const MAX_REMEMBERED = 2_000_000;

/** What one transaction touched: aggregates and applied ids, by entity. */
class Touched {
  readonly orders = new Map<string, OrderEntry>();
  readonly deliveries = new Map<string, Row | null>();
  readonly seen = new Map<string, SeenEntry>();
}

const SQL = {
  seenGet: 'SELECT ce_ids FROM eb_seen_events WHERE entity = ?',
  seenPut:
    'INSERT INTO eb_seen_events(entity, ce_ids) VALUES (?, ?) ON CONFLICT(entity) DO UPDATE SET ce_ids = excluded.ce_ids',
  orderGet: 'SELECT * FROM orders WHERE order_id = ?',
  orderPut: upsert('orders', ORDER_COLUMNS),
  itemsGet:
    'SELECT sku, name, quantity, unit_price_cents, position FROM order_items WHERE order_id = ? ORDER BY position',
  itemsClear: 'DELETE FROM order_items WHERE order_id = ?',
  /** itemsPut[n - 1]: n cart lines in one INSERT. */
  itemsPut: Array.from(
    { length: ITEMS_PER_INSERT },
    (_, i) =>
      `INSERT INTO order_items(order_id, sku, name, quantity, unit_price_cents, position) VALUES ${Array.from({ length: i + 1 }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
  ),
  deliveryGet: 'SELECT * FROM deliveries WHERE delivery_id = ?',
  deliveryPut: upsert('deliveries', DELIVERY_COLUMNS),
};

/**
 * The event-sourcing projector. The folds in fold.ts move aggregates in memory; this class is
 * their store: it loads an aggregate the first time a transaction touches it and writes every
 * touched aggregate back once, in flush(), into the same transaction as the checkpoint. A
 * delivery with ten location updates in one transaction costs one row write, not ten UPDATEs.
 * An upsert (not INSERT OR REPLACE) keeps a row's rowid, so rows stay in creation order.
 *
 * Flushed writes may still be in flight (the writer thread commits them while the next
 * transaction is folded): until settled(), that transaction's aggregates are read from memory,
 * never from the database, which does not have them yet.
 *
 * A ce_id already applied to its entity is skipped: a producer retry or an injected duplicate
 * writes an event twice. eb_seen_events keeps each entity's applied ids; it is read and written
 * like an aggregate, once per entity and transaction.
 */
export class SourcingApplier implements Applier<SourcingEventIn> {
  private now = new Touched();
  private inFlight = new Touched();
  private readonly s: Record<'seenGet' | 'orderGet' | 'itemsGet' | 'deliveryGet', Statement>;
  private readonly direct: DirectSink;
  /**
   * When the run began on an empty database: every entity met so far. One not in it has no rows
   * anywhere, so nothing is read for it (most entities of a replay from scratch); undefined
   * otherwise, or once it grew past MAX_REMEMBERED.
   */
  private met: Set<string> | undefined;

  constructor(db: Db) {
    this.s = {
      seenGet: db.prepare(SQL.seenGet).pluck(),
      orderGet: db.prepare(SQL.orderGet),
      itemsGet: db.prepare(SQL.itemsGet),
      deliveryGet: db.prepare(SQL.deliveryGet),
    };
    this.direct = new DirectSink(db);
    if (db.prepare('SELECT 1 FROM eb_seen_events LIMIT 1').get() === undefined) this.met = new Set();
  }

  apply(e: SourcingEventIn): SideEffect[] | undefined {
    const seen = this.seenOf(e.entityId);
    if (seen.ids.has(e.ceId)) return undefined;
    seen.ids.add(e.ceId);
    seen.grew = true;
    if (e.domain === 'checkout') {
      const agg = this.order(e.entityId, seen.absent || e.type === 'cart-created');
      if (CART_TYPES.has(e.type)) agg.itemsChanged = true;
      return applyOrder(agg, e);
    }
    const d = applyDelivery(this.delivery(e.entityId, seen.absent || e.type === 'order-accepted'), e);
    this.now.deliveries.set(e.entityId, d.row);
    return d.effects;
  }

  /**
   * Writes every aggregate touched since the last flush into `out` (by default, straight into
   * the open transaction). Statements are grouped (all order rows, then all cart deletes, ...)
   * so a writer thread receives few, long runs; no two groups touch the same row.
   */
  flush(out: RowSink = this.direct): void {
    const t = this.now;
    for (const agg of t.orders.values())
      if (agg.row)
        out.run(
          SQL.orderPut,
          ORDER_COLUMNS.map((c) => agg.row![c] ?? null),
        );
    for (const [id, agg] of t.orders) if (agg.itemsChanged) out.run(SQL.itemsClear, [id]);
    for (const [id, agg] of t.orders) {
      if (!agg.itemsChanged) continue;
      for (let from = 0; from < agg.items.length; from += ITEMS_PER_INSERT) {
        const lines = agg.items.slice(from, from + ITEMS_PER_INSERT);
        out.run(
          SQL.itemsPut[lines.length - 1]!,
          lines.flatMap((i) => [id, i.sku, i.name, i.quantity, i.unit_price_cents, i.position]),
        );
      }
    }
    for (const row of t.deliveries.values())
      if (row)
        out.run(
          SQL.deliveryPut,
          DELIVERY_COLUMNS.map((c) => row[c] ?? null),
        );
    for (const [entity, seen] of t.seen)
      if (seen.grew) out.run(SQL.seenPut, [entity, [...seen.ids].join('\n')]);
    this.inFlight = t;
    this.now = new Touched();
  }

  /** The flushed writes are committed: the database has them now. */
  settled(): void {
    this.inFlight = new Touched();
  }

  /** The transaction rolled back: forget what memory holds of it (and of any in flight). */
  discard(): void {
    this.now = new Touched();
    this.inFlight = new Touched();
  }

  private seenOf(entity: string): SeenEntry {
    let seen = this.now.seen.get(entity);
    if (!seen) {
      const before = this.inFlight.seen.get(entity);
      if (before) seen = { ids: before.ids, grew: false, absent: false };
      else if (this.met && !this.met.has(entity)) {
        seen = { ids: new Set(), grew: false, absent: true };
        this.met.add(entity);
        if (this.met.size > MAX_REMEMBERED) this.met = undefined;
      } else {
        const stored = this.s.seenGet.get(entity) as string | undefined;
        seen = { ids: new Set(stored ? stored.split('\n') : []), grew: false, absent: false };
      }
      this.now.seen.set(entity, seen);
    }
    return seen;
  }

  /**
   * The aggregate as of now. `noRead`: the event replaces it whole, or the database has nothing
   * of it, so nothing is read.
   */
  private order(id: string, noRead: boolean): OrderEntry {
    let agg = this.now.orders.get(id);
    if (!agg) {
      const before = noRead ? undefined : this.inFlight.orders.get(id);
      if (before) agg = { row: before.row, items: before.items, itemsChanged: false };
      else {
        const row = noRead ? null : ((this.s.orderGet.get(id) as Row | undefined) ?? null);
        const items = noRead ? [] : (this.s.itemsGet.all(id) as Item[]);
        agg = { row, items, itemsChanged: false };
      }
      this.now.orders.set(id, agg);
    }
    return agg;
  }

  private delivery(id: string, noRead: boolean): Row | null {
    if (this.now.deliveries.has(id)) return this.now.deliveries.get(id)!;
    let row: Row | null;
    if (noRead) row = null;
    else if (this.inFlight.deliveries.has(id)) row = this.inFlight.deliveries.get(id)!;
    else row = (this.s.deliveryGet.get(id) as Row | undefined) ?? null;
    this.now.deliveries.set(id, row);
    return row;
  }
}
