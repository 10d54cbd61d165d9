import type { SideEffect } from '../types.js';
import type { SourcingEventIn } from './events.js';
import { DELIVERY_COLUMNS, ORDER_COLUMNS } from './schema.js';

/** A row as stored: column name to SQL value. */
export type Row = Record<string, string | number | null>;

/** One line of a cart, as in order_items. */
export interface Item {
  sku: string;
  name: string | null;
  quantity: number;
  unit_price_cents: number;
  /** Insertion counter: the cart lists items in the order first added. */
  position: number;
}

/**
 * An order aggregate: its orders row (null while the table has none) and its cart. The cart
 * is kept apart from the row because SQL keeps it apart: an item can be added to an order
 * whose cart-created this projection never saw (a replay that starts mid-stream).
 */
export interface OrderAgg {
  row: Row | null;
  items: Item[];
}

const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
/** SQL arithmetic: NULL stays NULL. */
const plus1 = (v: string | number | null | undefined): number | null =>
  typeof v === 'number' ? v + 1 : null;

function blank(columns: readonly string[]): Row {
  const row: Row = {};
  for (const c of columns) row[c] = null;
  return row;
}

/**
 * The event-sourcing fold for orders: moves one aggregate one event forward. No I/O: the
 * runtime loads the aggregate, calls this for each event, and writes it back once per
 * transaction. Written independently of the reference fold in src/lib/events (the tests
 * compare the two). Changes to a row the table does not have are dropped, as an SQL UPDATE
 * of a missing row would drop them.
 */
export function applyOrder(agg: OrderAgg, e: SourcingEventIn): SideEffect[] | undefined {
  const d = e.data;
  const t = e.time;
  const row = agg.row;
  switch (e.type) {
    case 'cart-created':
      agg.row = Object.assign(blank(ORDER_COLUMNS), {
        order_id: e.entityId,
        user_id: str(d.userId),
        store_id: str(d.storeId),
        status: 'open',
        total_cents: 0,
        currency: str(d.currency),
        payment_attempts: 0,
        created_at: t,
        updated_at: t,
      });
      agg.items = [];
      return undefined;
    case 'item-added': {
      const sku = String(d.sku);
      const qty = Number(d.quantity);
      const have = agg.items.find((i) => i.sku === sku);
      if (have) have.quantity += qty;
      else {
        const position = agg.items.reduce((m, i) => Math.max(m, i.position), 0) + 1;
        agg.items.push({
          sku,
          name: str(d.name),
          quantity: qty,
          unit_price_cents: Number(d.unitPriceCents),
          position,
        });
      }
      retotal(agg, t);
      return undefined;
    }
    case 'item-removed': {
      const sku = String(d.sku);
      const have = agg.items.find((i) => i.sku === sku);
      if (have) {
        have.quantity -= Number(d.quantity);
        if (have.quantity <= 0) agg.items = agg.items.filter((i) => i !== have);
      }
      retotal(agg, t);
      return undefined;
    }
    case 'checkout-started':
      if (row)
        Object.assign(row, {
          status: 'checking-out',
          delivery_address: json(d.deliveryAddress),
          updated_at: t,
        });
      return undefined;
    case 'terms-agreed':
      if (row)
        Object.assign(row, {
          status: 'terms-agreed',
          terms_version: str(d.termsVersion),
          terms_agreed_at: t,
          updated_at: t,
        });
      return undefined;
    case 'payment-authorised':
      if (row)
        Object.assign(row, {
          status: 'paid',
          payment_attempts: plus1(row.payment_attempts),
          payment_id: str(d.paymentId),
          payment_method: str(d.method),
          updated_at: t,
        });
      return undefined;
    case 'payment-failed':
      if (row)
        Object.assign(row, {
          status: 'payment-failed',
          payment_attempts: num(d.attempt),
          last_payment_failure: str(d.reason),
          updated_at: t,
        });
      return undefined;
    case 'order-placed':
      if (row) Object.assign(row, { status: 'placed', placed_at: t, updated_at: t });
      // The store's kitchen must hear about a placed order: an effect, never repeated on replay.
      return [
        {
          kind: 'kitchen-ticket',
          entity: e.entityId,
          payload: { storeId: d.storeId, totalCents: d.totalCents },
        },
      ];
    case 'order-cancelled':
      if (row) Object.assign(row, { status: 'cancelled', cancel_reason: str(d.reason), updated_at: t });
      return undefined;
    default:
      return undefined;
  }
}

function retotal(agg: OrderAgg, t: string): void {
  if (!agg.row) return;
  let total = 0;
  for (const i of agg.items) total += i.quantity * i.unit_price_cents;
  agg.row.total_cents = total;
  agg.row.updated_at = t;
}

/** The event-sourcing fold for deliveries; the row is null while the table has none. */
export function applyDelivery(
  row: Row | null,
  e: SourcingEventIn,
): { row: Row | null; effects?: SideEffect[] } {
  const d = e.data;
  const t = e.time;
  switch (e.type) {
    case 'order-accepted':
      return {
        row: Object.assign(blank(DELIVERY_COLUMNS), {
          delivery_id: e.entityId,
          order_id: str(d.orderId),
          user_id: str(d.userId),
          store_id: str(d.storeId),
          status: 'accepted',
          address: json(d.address),
          eta_minutes: num(d.etaMinutes),
          location_updates: 0,
          accepted_at: t,
          updated_at: t,
        }),
      };
    case 'baked':
      if (row) Object.assign(row, { status: 'baked', baked_at: t, updated_at: t });
      return { row };
    case 'out-for-delivery':
      if (row)
        Object.assign(row, {
          status: 'out-for-delivery',
          courier_id: str(d.courierId),
          out_for_delivery_at: t,
          updated_at: t,
        });
      return { row };
    case 'location-updated':
      if (row)
        Object.assign(row, {
          lat: num(d.lat),
          lon: num(d.lon),
          location_updates: plus1(row.location_updates),
          updated_at: t,
        });
      return { row };
    case 'delivered':
      if (row)
        Object.assign(row, {
          status: 'delivered',
          lat: num(d.lat),
          lon: num(d.lon),
          delivered_at: t,
          updated_at: t,
        });
      return {
        row,
        effects: [
          { kind: 'rate-your-pizza-email', entity: e.entityId, payload: { userId: d.userId ?? null } },
        ],
      };
    default:
      return { row };
  }
}
