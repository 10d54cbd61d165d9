import type { Rng } from '../prng.js';
import { checkoutTypes as T } from '../domains/checkout.js';
import { StepClock, type StepStream } from '../domains/common.js';
import { MENU, PAYMENT_FAILURES, PAYMENT_METHODS, TERMS_VERSION, nearestStore } from '../world.js';
import { MIN, SEC, type UserFacts } from './context.js';

/**
 * A signed-in user fills a cart at their nearest store, maybe removes something, and checks out;
 * payment may fail once or twice. About 10% of carts are abandoned; 15% of users never open one
 * (then the stream is empty). The store chosen here is the one that bakes and delivers: it
 * never changes later in the journey.
 *
 * `terms`: the stream for the terms-agreed extension, or null when it is off.
 */
export function* planCheckout(
  rng: Rng,
  orderId: string,
  user: UserFacts & { loginAt: number },
  terms: Rng | null,
): StepStream {
  if (!rng.chance(0.85)) return;
  const c = new StepClock();
  const userId = user.id;
  const store = nearestStore(user.city, user.address.lat, user.address.lon);
  let t = user.loginAt + rng.int(5 * SEC, 2 * MIN);
  yield c.step(T.cartCreated, t, { orderId, userId, storeId: store.id, currency: 'EUR' });

  const lines = new Map<string, number>();
  let totalCents = 0;
  const adds = rng.int(1, 4);
  for (let i = 0; i < adds; i++) {
    const item = rng.pick(MENU);
    const quantity = rng.chance(0.75) ? 1 : rng.int(2, 3);
    lines.set(item.sku, (lines.get(item.sku) ?? 0) + quantity);
    totalCents += quantity * item.priceCents;
    t += rng.int(4 * SEC, 45 * SEC);
    yield c.step(T.itemAdded, t, {
      orderId,
      sku: item.sku,
      name: item.name,
      quantity,
      unitPriceCents: item.priceCents,
    });
  }
  // Take one item out, but never empty the cart: a checkout needs something to pay for.
  if (rng.chance(0.2)) {
    const [sku, qty] = [...lines][rng.int(0, lines.size - 1)] as [string, number];
    if (lines.size > 1 || qty > 1) {
      const quantity = lines.size > 1 ? qty : 1;
      lines.set(sku, qty - quantity);
      totalCents -= quantity * (MENU.find((m) => m.sku === sku)?.priceCents ?? 0);
      t += rng.int(3 * SEC, 30 * SEC);
      yield c.step(T.itemRemoved, t, { orderId, sku, quantity });
    }
  }
  if (rng.chance(0.07)) {
    yield c.step(T.orderCancelled, t + rng.int(5 * MIN, 30 * MIN), { orderId, reason: 'abandoned' });
    return;
  }

  let itemCount = 0;
  for (const q of lines.values()) itemCount += q;
  t += rng.int(10 * SEC, 90 * SEC);
  const started = t;
  yield c.step(T.checkoutStarted, t, {
    orderId,
    userId,
    itemCount,
    totalCents,
    currency: 'EUR',
    deliveryAddress: user.address,
  });
  if (rng.chance(0.03)) {
    yield c.step(T.orderCancelled, t + rng.int(2 * MIN, 20 * MIN), { orderId, reason: 'abandoned' });
    return;
  }

  // The first payment comes a while after checkout starts: the gap where terms are read.
  t += rng.int(15 * SEC, 2 * MIN);
  if (terms)
    yield c.step(T.termsAgreed, termsTime(terms, started, t), {
      orderId,
      userId,
      termsVersion: TERMS_VERSION,
    });
  for (let attempt = 1; ; attempt++) {
    const paymentId = `pay-${rng.hex8()}`;
    if (!rng.chance(0.1)) {
      yield c.step(T.paymentAuthorised, t, {
        orderId,
        paymentId,
        amountCents: totalCents,
        currency: 'EUR',
        method: rng.pick(PAYMENT_METHODS),
      });
      t += rng.int(200, 2 * SEC);
      yield c.step(T.orderPlaced, t, {
        orderId,
        userId,
        storeId: store.id,
        paymentId,
        totalCents,
        currency: 'EUR',
      });
      return;
    }
    yield c.step(T.paymentFailed, t, {
      orderId,
      paymentId,
      amountCents: totalCents,
      currency: 'EUR',
      reason: rng.pick(PAYMENT_FAILURES),
      attempt,
    });
    if (attempt === 2) {
      yield c.step(T.orderCancelled, t + rng.int(1 * MIN, 5 * MIN), { orderId, reason: 'payment-failed' });
      return;
    }
    t += rng.int(10 * SEC, 60 * SEC);
  }
}

/**
 * The regulation change: terms-agreed falls strictly inside the gap between checkout-started
 * and the first payment attempt, drawn from its own stream, so every other event of the journey
 * (times, ids, payloads) is exactly what it was without it. Carts abandoned at checkout never
 * agreed.
 */
function termsTime(rng: Rng, started: number, payment: number): number {
  const gap = payment - started;
  return started + 1 + Math.floor((gap - 2) * (0.2 + 0.6 * rng.float()));
}
