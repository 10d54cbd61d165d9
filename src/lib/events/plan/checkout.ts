import type { Rng } from '../prng.js';
import { checkout, checkoutTypes as T } from '../domains/checkout.js';
import { PlanBuilder, eventId, type EntityPlan, type Step } from '../domains/common.js';
import { MENU, PAYMENT_FAILURES, PAYMENT_METHODS, TERMS_VERSION, nearestStore } from '../world.js';
import { MIN, SEC, type OrderFacts, type UserFacts } from './context.js';

/**
 * A signed-in user fills a cart at their nearest store, maybe removes something, and checks out;
 * payment may fail once or twice. About 10% of carts are abandoned. The store chosen here is the
 * one that bakes and delivers: it never changes later in the journey.
 */
export function planCheckout(
  rng: Rng,
  orderId: string,
  user: UserFacts,
): { plan: EntityPlan; order: OrderFacts } | null {
  if (user.loginAt === null || !rng.chance(0.85)) return null;
  const userId = user.id;
  const store = nearestStore(user.city, user.address.lat, user.address.lon);
  const b = new PlanBuilder(checkout, orderId, { userId }, eventId(userId, 'login-succeeded'));
  let t = b.add(T.cartCreated, user.loginAt + rng.int(5 * SEC, 2 * MIN), {
    orderId,
    userId,
    storeId: store.id,
    currency: 'EUR',
  });

  const lines = new Map<string, number>();
  let totalCents = 0;
  const adds = rng.int(1, 4);
  for (let i = 0; i < adds; i++) {
    const item = rng.pick(MENU);
    const quantity = rng.chance(0.75) ? 1 : rng.int(2, 3);
    lines.set(item.sku, (lines.get(item.sku) ?? 0) + quantity);
    totalCents += quantity * item.priceCents;
    t = b.add(T.itemAdded, t + rng.int(4 * SEC, 45 * SEC), {
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
      t = b.add(T.itemRemoved, t + rng.int(3 * SEC, 30 * SEC), { orderId, sku, quantity });
    }
  }
  const cancel = (reason: string, after: number) => {
    b.add(T.orderCancelled, t + after, { orderId, reason });
    return { plan: b.plan, order: { id: orderId, storeId: store.id, totalCents, placedAt: null } };
  };
  if (rng.chance(0.07)) return cancel('abandoned', rng.int(5 * MIN, 30 * MIN));

  let itemCount = 0;
  for (const q of lines.values()) itemCount += q;
  t = b.add(T.checkoutStarted, t + rng.int(10 * SEC, 90 * SEC), {
    orderId,
    userId,
    itemCount,
    totalCents,
    currency: 'EUR',
    deliveryAddress: user.address,
  });
  if (rng.chance(0.03)) return cancel('abandoned', rng.int(2 * MIN, 20 * MIN));

  // The first payment comes a while after checkout starts: the gap where terms are read.
  t += rng.int(15 * SEC, 2 * MIN);
  for (let attempt = 1; ; attempt++) {
    const paymentId = `pay-${rng.hex8()}`;
    if (!rng.chance(0.1)) {
      t = b.add(T.paymentAuthorised, t, {
        orderId,
        paymentId,
        amountCents: totalCents,
        currency: 'EUR',
        method: rng.pick(PAYMENT_METHODS),
      });
      const placedAt = b.add(T.orderPlaced, t + rng.int(200, 2 * SEC), {
        orderId,
        userId,
        storeId: store.id,
        paymentId,
        totalCents,
        currency: 'EUR',
      });
      return { plan: b.plan, order: { id: orderId, storeId: store.id, totalCents, placedAt } };
    }
    t = b.add(T.paymentFailed, t, {
      orderId,
      paymentId,
      amountCents: totalCents,
      currency: 'EUR',
      reason: rng.pick(PAYMENT_FAILURES),
      attempt,
    });
    if (attempt === 2) return cancel('payment-failed', rng.int(1 * MIN, 5 * MIN));
    t += rng.int(10 * SEC, 60 * SEC);
  }
}

/**
 * The regulation change: a terms-agreed step between checkout-started and the first payment
 * attempt. It draws from its own stream and falls strictly inside that gap, so every other
 * event of the journey (times, ids, payloads) is exactly what it was without it. Carts abandoned
 * at checkout never agreed.
 */
export function insertTermsAgreed(rng: Rng, plan: EntityPlan): void {
  const steps = plan.steps;
  const i = steps.findIndex((st) => st.def === T.checkoutStarted);
  const started = steps[i];
  const next = steps[i + 1];
  if (!started || !next || (next.def !== T.paymentAuthorised && next.def !== T.paymentFailed)) return;
  const gap = next.ts - started.ts;
  const ts = started.ts + 1 + Math.floor((gap - 2) * (0.2 + 0.6 * rng.float()));
  const step: Step = {
    def: T.termsAgreed,
    ts,
    data: { orderId: plan.id, userId: plan.links.userId, termsVersion: TERMS_VERSION },
  };
  steps.splice(i + 1, 0, step);
}
