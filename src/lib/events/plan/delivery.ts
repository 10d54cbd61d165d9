import type { Rng } from '../prng.js';
import { deliveryTypes as T } from '../domains/delivery.js';
import { StepClock, type StepStream } from '../domains/common.js';
import { CITIES, round5, type Store } from '../world.js';
import { MIN, SEC, type OrderFacts, type UserFacts } from './context.js';

function storeById(id: string): Store {
  for (const c of CITIES) for (const st of c.stores) if (st.id === id) return st;
  throw new Error(`unknown store ${id}`);
}

/**
 * A placed order is accepted by its store, baked, and ridden to the door by one of that store's
 * couriers, who reports a position every minute or two along the way.
 */
export function* planDelivery(rng: Rng, deliveryId: string, order: OrderFacts, user: UserFacts): StepStream {
  const c = new StepClock();
  const orderId = order.id;
  const storeId = order.storeId;
  const store = storeById(storeId);
  let t = order.placedAt + rng.int(5 * SEC, 90 * SEC);
  yield c.step(T.orderAccepted, t, {
    deliveryId,
    orderId,
    userId: user.id,
    storeId,
    address: user.address,
    etaMinutes: rng.int(25, 50),
  });
  t += rng.int(8 * MIN, 16 * MIN);
  yield c.step(T.baked, t, { deliveryId, orderId, storeId });
  // Couriers belong to a store: store-ams-01 rides with courier-ams01-NN.
  const courierId = `courier-${storeId.slice(6).replace('-', '')}-${String(rng.int(1, 12)).padStart(2, '0')}`;
  t += rng.int(1 * MIN, 6 * MIN);
  yield c.step(T.outForDelivery, t, { deliveryId, orderId, storeId, courierId });

  // Positions on the straight line from the store to the door, a little off the line (streets).
  const to = user.address;
  const updates = rng.int(2, 6);
  for (let i = 1; i <= updates; i++) {
    const f = i / (updates + 1);
    t += rng.int(40 * SEC, 2 * MIN);
    yield c.step(T.locationUpdated, t, {
      deliveryId,
      orderId,
      storeId,
      courierId,
      lat: round5(store.lat + (to.lat - store.lat) * f + (rng.float() - 0.5) * 0.002),
      lon: round5(store.lon + (to.lon - store.lon) * f + (rng.float() - 0.5) * 0.002),
    });
  }
  t += rng.int(30 * SEC, 2 * MIN);
  yield c.step(T.delivered, t, { deliveryId, orderId, storeId, courierId, lat: to.lat, lon: to.lon });
}
