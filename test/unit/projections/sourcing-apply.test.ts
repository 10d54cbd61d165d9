import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { rebuild } from '../../../src/lib/events/index.js';
import { RUNTIME_SCHEMA } from '../../../src/lib/projections/db.js';
import { SourcingApplier } from '../../../src/lib/projections/sourcing/apply.js';
import type { SourcingEventIn } from '../../../src/lib/projections/sourcing/events.js';
import { SOURCING_SCHEMA } from '../../../src/lib/projections/sourcing/schema.js';

const address = {
  street: 'Kerkstraat',
  houseNumber: 5,
  postcode: '1017 GB',
  city: 'Amsterdam',
  lat: 52.36,
  lon: 4.88,
};
const id = 'order-0000abcd';
let n = 0;
const ev = (type: string, data: Record<string, unknown>, ceId?: string): SourcingEventIn => {
  n++;
  return {
    domain: 'checkout',
    type,
    entityId: id,
    ceId: ceId ?? `${id}:${type}:${n}`,
    time: `2026-11-20T10:00:${String(n).padStart(2, '0')}.000Z`,
    data: { orderId: id, ...data },
  };
};

const events = [
  ev('cart-created', { userId: 'user-00000001', storeId: 'store-ams-01', currency: 'EUR' }),
  ev('item-added', { sku: 'margherita', name: 'Margherita', quantity: 1, unitPriceCents: 950 }),
  ev('item-added', { sku: 'cola', name: 'Cola', quantity: 2, unitPriceCents: 250 }),
  ev('item-added', { sku: 'margherita', name: 'Margherita', quantity: 2, unitPriceCents: 950 }),
  ev('item-removed', { sku: 'cola', quantity: 5 }),
  ev('item-added', { sku: 'cola', name: 'Cola', quantity: 1, unitPriceCents: 250 }),
  ev('checkout-started', {
    userId: 'user-00000001',
    itemCount: 4,
    totalCents: 3100,
    currency: 'EUR',
    deliveryAddress: address,
  }),
  ev('terms-agreed', { userId: 'user-00000001', termsVersion: '2026-11' }),
  ev('payment-failed', {
    paymentId: 'pay-00000001',
    amountCents: 3100,
    currency: 'EUR',
    reason: 'declined',
    attempt: 1,
  }),
  ev('payment-authorised', {
    paymentId: 'pay-00000002',
    amountCents: 3100,
    currency: 'EUR',
    method: 'ideal',
  }),
  ev('order-placed', {
    userId: 'user-00000001',
    storeId: 'store-ams-01',
    paymentId: 'pay-00000002',
    totalCents: 3100,
    currency: 'EUR',
  }),
];

function fresh(): { db: Database.Database; applier: SourcingApplier } {
  const db = new Database(':memory:');
  db.exec(RUNTIME_SCHEMA);
  db.exec(SOURCING_SCHEMA);
  return { db, applier: new SourcingApplier(db) };
}

describe('sourcing apply (pure SQL, no broker)', () => {
  it('moves the order row and cart rows exactly as the reference fold moves the state', () => {
    const { db, applier } = fresh();
    const effects = events.map((e) => applier.apply(e));
    applier.flush();
    const want = rebuild(
      'checkout',
      events.map((e) => ({ type: e.type, data: e.data, time: e.time })),
    )!;
    const order = db.prepare('SELECT * FROM orders WHERE order_id = ?').get(id) as Record<string, unknown>;
    expect(order).toMatchObject({
      status: want.status,
      total_cents: want.totalCents,
      payment_attempts: want.paymentAttempts,
      payment_id: want.paymentId,
      payment_method: want.paymentMethod,
      last_payment_failure: want.lastPaymentFailure,
      delivery_address: JSON.stringify(want.deliveryAddress),
      terms_version: want.termsVersion,
      placed_at: want.placedAt,
      updated_at: want.updatedAt,
    });
    const items = db
      .prepare(
        'SELECT sku, name, quantity, unit_price_cents AS unitPriceCents FROM order_items ORDER BY position',
      )
      .all();
    expect(items, 'cart: cola removed entirely, then added again at the end').toEqual(want.items);
    expect(effects.at(-1)).toEqual([
      { kind: 'kitchen-ticket', entity: id, payload: { storeId: 'store-ams-01', totalCents: 3100 } },
    ]);
    expect(effects.slice(0, -1).every((x) => x === undefined)).toBe(true);
  });

  it('applies a redelivered event (same ce_id) only once', () => {
    const { db, applier } = fresh();
    applier.apply(events[0]!);
    const add = events[1]!;
    applier.apply(add);
    applier.apply({ ...add });
    applier.flush();
    const row = db.prepare('SELECT quantity FROM order_items WHERE sku = ?').get('margherita');
    expect(row, 'quantity after a duplicate item-added').toEqual({ quantity: 1 });
  });
});

describe('sourcing apply across transactions (write-behind store)', () => {
  const snapshot = (db: Database.Database) => ({
    orders: db.prepare('SELECT * FROM orders ORDER BY order_id').all(),
    items: db.prepare('SELECT * FROM order_items ORDER BY order_id, position').all(),
    seen: db.prepare('SELECT * FROM eb_seen_events ORDER BY entity').all(),
  });

  it('gives the same tables whether the events are flushed once or after every event', () => {
    const once = fresh();
    for (const e of events) once.applier.apply(e);
    once.applier.flush();
    const each = fresh();
    for (const e of events) {
      each.applier.apply(e);
      each.applier.flush();
    }
    expect(snapshot(each.db)).toEqual(snapshot(once.db));
    expect(snapshot(once.db).items.length, 'two cart lines').toBe(2);
  });

  it('skips a duplicate whose original was flushed in an earlier transaction', () => {
    const { db, applier } = fresh();
    applier.apply(events[0]!);
    applier.apply(events[1]!);
    applier.flush();
    expect(applier.apply({ ...events[1]! }), 'the duplicate is not applied').toBeUndefined();
    applier.flush();
    const row = db.prepare('SELECT quantity FROM order_items WHERE sku = ?').get('margherita');
    expect(row).toEqual({ quantity: 1 });
  });

  it('drops what a rolled-back transaction held: discard() forgets unflushed changes', () => {
    const { db, applier } = fresh();
    applier.apply(events[0]!);
    applier.flush();
    applier.apply(events[1]!);
    applier.discard();
    applier.apply(events[1]!);
    applier.flush();
    const row = db.prepare('SELECT quantity FROM order_items WHERE sku = ?').get('margherita');
    expect(row, 'applied once after the discarded attempt').toEqual({ quantity: 1 });
  });

  it('keeps UPDATE semantics for an order it never saw created: cart lines, but no orders row', () => {
    const { db, applier } = fresh();
    applier.apply(events[1]!);
    applier.apply(events[6]!);
    applier.flush();
    expect(db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT sku, quantity, position FROM order_items').all()).toEqual([
      { sku: 'margherita', quantity: 1, position: 1 },
    ]);
  });
});
