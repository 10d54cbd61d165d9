import type { Rng } from '../prng.js';
import { delivery, deliveryTypes as T } from '../domains/delivery.js';
import { PlanBuilder, eventId, type EntityPlan } from '../domains/common.js';
import { CITIES, round5, type Store } from '../world.js';
import { MIN, SEC, type DeliveryFacts, type OrderFacts, type UserFacts } from './context.js';

function storeById(id: string): Store {
  for (const c of CITIES) for (const st of c.stores) if (st.id === id) return st;
  throw new Error(`unknown store ${id}`);
}

/**
 * A placed order is accepted by its store, baked, and ridden to the door by one of that store's
 * couriers, who reports a position every minute or two along the way.
 */
export function planDelivery(
  rng: Rng,
  deliveryId: string,
  order: OrderFacts,
  user: UserFacts,
): { plan: EntityPlan; delivery: DeliveryFacts } | null {
  if (order.placedAt === null) return null;
  const orderId = order.id;
  const storeId = order.storeId;
  const store = storeById(storeId);
  const b = new PlanBuilder(
    delivery,
    deliveryId,
    { userId: user.id, orderId },
    eventId(orderId, 'order-placed'),
  );
  let t = b.add(T.orderAccepted, order.placedAt + rng.int(5 * SEC, 90 * SEC), {
    deliveryId,
    orderId,
    userId: user.id,
    storeId,
    address: user.address,
    etaMinutes: rng.int(25, 50),
  });
  t = b.add(T.baked, t + rng.int(8 * MIN, 16 * MIN), { deliveryId, orderId, storeId });
  // Couriers belong to a store: store-ams-01 rides with courier-ams01-NN.
  const courierId = `courier-${storeId.slice(6).replace('-', '')}-${String(rng.int(1, 12)).padStart(2, '0')}`;
  t = b.add(T.outForDelivery, t + rng.int(1 * MIN, 6 * MIN), { deliveryId, orderId, storeId, courierId });

  // Positions on the straight line from the store to the door, a little off the line (streets).
  const to = user.address;
  const updates = rng.int(2, 6);
  for (let i = 1; i <= updates; i++) {
    const f = i / (updates + 1);
    t = b.add(T.locationUpdated, t + rng.int(40 * SEC, 2 * MIN), {
      deliveryId,
      orderId,
      storeId,
      courierId,
      lat: round5(store.lat + (to.lat - store.lat) * f + (rng.float() - 0.5) * 0.002),
      lon: round5(store.lon + (to.lon - store.lon) * f + (rng.float() - 0.5) * 0.002),
    });
  }
  const deliveredAt = b.add(T.delivered, t + rng.int(30 * SEC, 2 * MIN), {
    deliveryId,
    orderId,
    storeId,
    courierId,
    lat: to.lat,
    lon: to.lon,
  });
  return { plan: b.plan, delivery: { id: deliveryId, deliveredAt } };
}
