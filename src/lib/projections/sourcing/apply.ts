import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import type { Applier, SideEffect } from '../types.js';
import type { SourcingEventIn } from './events.js';
import { DELIVERY_COLUMNS, ORDER_COLUMNS } from './schema.js';

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/**
 * The event-sourcing projector: each fine-grained event becomes the SQL that moves its
 * aggregate's rows one step, written independently of the reference fold (tests compare the
 * two). Events arrive in per-key order (one partition per entity), which is all it relies on.
 * A ce_id already applied is skipped: a producer retry may write an event twice.
 */
export class SourcingApplier implements Applier<SourcingEventIn> {
  private readonly s: Record<string, Statement>;

  constructor(db: Db) {
    const p = (sql: string) => db.prepare(sql);
    const setTotal = `total_cents = (SELECT COALESCE(SUM(quantity * unit_price_cents), 0) FROM order_items WHERE order_id = @id)`;
    this.s = {
      seen: p('INSERT OR IGNORE INTO eb_seen_events(ce_id) VALUES (?)'),
      orderNew: p(
        `INSERT OR REPLACE INTO orders(${ORDER_COLUMNS.join(', ')}) VALUES (${ORDER_COLUMNS.map((c) => '@' + c).join(', ')})`,
      ),
      itemsClear: p('DELETE FROM order_items WHERE order_id = ?'),
      itemAdd: p(
        `INSERT INTO order_items(order_id, sku, name, quantity, unit_price_cents, position)
         VALUES (@id, @sku, @name, @qty, @price,
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM order_items WHERE order_id = @id))
         ON CONFLICT(order_id, sku) DO UPDATE SET quantity = quantity + excluded.quantity`,
      ),
      itemLess: p('UPDATE order_items SET quantity = quantity - @qty WHERE order_id = @id AND sku = @sku'),
      itemGone: p('DELETE FROM order_items WHERE order_id = @id AND sku = @sku AND quantity <= 0'),
      total: p(`UPDATE orders SET ${setTotal}, updated_at = @t WHERE order_id = @id`),
      checkoutStarted: p(
        `UPDATE orders SET status = 'checking-out', delivery_address = @addr, updated_at = @t WHERE order_id = @id`,
      ),
      termsAgreed: p(
        `UPDATE orders SET status = 'terms-agreed', terms_version = @v, terms_agreed_at = @t, updated_at = @t WHERE order_id = @id`,
      ),
      paid: p(
        `UPDATE orders SET status = 'paid', payment_attempts = payment_attempts + 1, payment_id = @pay,
         payment_method = @method, updated_at = @t WHERE order_id = @id`,
      ),
      payFailed: p(
        `UPDATE orders SET status = 'payment-failed', payment_attempts = @attempt,
         last_payment_failure = @reason, updated_at = @t WHERE order_id = @id`,
      ),
      placed: p(`UPDATE orders SET status = 'placed', placed_at = @t, updated_at = @t WHERE order_id = @id`),
      cancelled: p(
        `UPDATE orders SET status = 'cancelled', cancel_reason = @reason, updated_at = @t WHERE order_id = @id`,
      ),
      deliveryNew: p(
        `INSERT OR REPLACE INTO deliveries(${DELIVERY_COLUMNS.join(', ')}) VALUES (${DELIVERY_COLUMNS.map((c) => '@' + c).join(', ')})`,
      ),
      baked: p(
        `UPDATE deliveries SET status = 'baked', baked_at = @t, updated_at = @t WHERE delivery_id = @id`,
      ),
      out: p(
        `UPDATE deliveries SET status = 'out-for-delivery', courier_id = @courier, out_for_delivery_at = @t,
         updated_at = @t WHERE delivery_id = @id`,
      ),
      moved: p(
        `UPDATE deliveries SET lat = @lat, lon = @lon, location_updates = location_updates + 1, updated_at = @t
         WHERE delivery_id = @id`,
      ),
      delivered: p(
        `UPDATE deliveries SET status = 'delivered', lat = @lat, lon = @lon, delivered_at = @t, updated_at = @t
         WHERE delivery_id = @id`,
      ),
    };
  }

  apply(e: SourcingEventIn): SideEffect[] | undefined {
    if (this.s.seen!.run(e.ceId).changes === 0) return undefined;
    return e.domain === 'checkout' ? this.checkout(e) : this.delivery(e);
  }

  private checkout(e: SourcingEventIn): SideEffect[] | undefined {
    const d = e.data;
    const id = e.entityId;
    const t = e.time;
    const s = this.s;
    switch (e.type) {
      case 'cart-created': {
        const row: Row = {};
        for (const c of ORDER_COLUMNS) row[c] = null;
        Object.assign(row, {
          order_id: id,
          user_id: str(d.userId),
          store_id: str(d.storeId),
          status: 'open',
          total_cents: 0,
          currency: str(d.currency),
          payment_attempts: 0,
          created_at: t,
          updated_at: t,
        });
        s.orderNew!.run(row);
        s.itemsClear!.run(id);
        return undefined;
      }
      case 'item-added':
        s.itemAdd!.run({ id, sku: d.sku, name: str(d.name), qty: d.quantity, price: d.unitPriceCents });
        s.total!.run({ id, t });
        return undefined;
      case 'item-removed':
        s.itemLess!.run({ id, sku: d.sku, qty: d.quantity });
        s.itemGone!.run({ id, sku: d.sku });
        s.total!.run({ id, t });
        return undefined;
      case 'checkout-started':
        s.checkoutStarted!.run({ id, t, addr: json(d.deliveryAddress) });
        return undefined;
      case 'terms-agreed':
        s.termsAgreed!.run({ id, t, v: str(d.termsVersion) });
        return undefined;
      case 'payment-authorised':
        s.paid!.run({ id, t, pay: str(d.paymentId), method: str(d.method) });
        return undefined;
      case 'payment-failed':
        s.payFailed!.run({ id, t, attempt: num(d.attempt), reason: str(d.reason) });
        return undefined;
      case 'order-placed':
        s.placed!.run({ id, t });
        // The store's kitchen must hear about a placed order: an effect, never repeated on replay.
        return [
          { kind: 'kitchen-ticket', entity: id, payload: { storeId: d.storeId, totalCents: d.totalCents } },
        ];
      case 'order-cancelled':
        s.cancelled!.run({ id, t, reason: str(d.reason) });
        return undefined;
      default:
        return undefined;
    }
  }

  private delivery(e: SourcingEventIn): SideEffect[] | undefined {
    const d = e.data;
    const id = e.entityId;
    const t = e.time;
    const s = this.s;
    switch (e.type) {
      case 'order-accepted': {
        const row: Row = {};
        for (const c of DELIVERY_COLUMNS) row[c] = null;
        Object.assign(row, {
          delivery_id: id,
          order_id: str(d.orderId),
          user_id: str(d.userId),
          store_id: str(d.storeId),
          status: 'accepted',
          address: json(d.address),
          eta_minutes: num(d.etaMinutes),
          location_updates: 0,
          accepted_at: t,
          updated_at: t,
        });
        s.deliveryNew!.run(row);
        return undefined;
      }
      case 'baked':
        s.baked!.run({ id, t });
        return undefined;
      case 'out-for-delivery':
        s.out!.run({ id, t, courier: str(d.courierId) });
        return undefined;
      case 'location-updated':
        s.moved!.run({ id, t, lat: num(d.lat), lon: num(d.lon) });
        return undefined;
      case 'delivered':
        s.delivered!.run({ id, t, lat: num(d.lat), lon: num(d.lon) });
        return [{ kind: 'rate-your-pizza-email', entity: id, payload: { userId: d.userId ?? null } }];
      default:
        return undefined;
    }
  }
}
