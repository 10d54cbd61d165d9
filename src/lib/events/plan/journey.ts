import { rngFor } from '../prng.js';
import type { DomainName } from '../types.js';
import { eventId, type EntityPlan } from '../domains/common.js';
import { IdSpace } from './context.js';
import { planIdentity } from './identity.js';
import { insertTermsAgreed, planCheckout } from './checkout.js';
import { planDelivery } from './delivery.js';
import { planEmail } from './email.js';
import { planVideo } from './video.js';

export interface JourneyOptions {
  readonly seed: string;
  readonly domains: ReadonlySet<DomainName>;
  readonly termsAgreed: boolean;
}

/**
 * Journey k: one new user and everything they cause. The user registers at t0, signs in, fills
 * a cart, pays; the store accepts, bakes and delivers; emails go out; the user watches a video
 * while waiting. Every entity draws from its own stream, "<seed>/<domain>/<k>[/<n>]", and later
 * domains only read facts of earlier ones (ids, times), so which domains are selected, and
 * whether terms-agreed is on, never changes another entity's data.
 *
 * Returns the entities of the selected domains, each with its steps in business-time order.
 */
export class JourneyPlanner {
  private readonly ids: IdSpace;

  constructor(private readonly o: JourneyOptions) {
    this.ids = new IdSpace(o.seed);
  }

  userId(k: number): string {
    return this.ids.user(k);
  }

  plan(k: number, t0: number): EntityPlan[] {
    const { seed, domains: sel } = this.o;
    const out: EntityPlan[] = [];
    const { plan: userPlan, user } = planIdentity(rngFor(seed, 'identity', k), this.ids.user(k), t0);
    if (sel.has('identity')) out.push(userPlan);
    if (sel.has('email')) {
      const welcome = rngFor(seed, 'email', k, 'welcome');
      out.push(
        planEmail(
          welcome,
          this.ids.email(k, 0),
          'welcome',
          user,
          null,
          eventId(user.id, 'user-registered'),
          t0,
        ),
      );
    }
    if (sel.has('video') && user.loginAt !== null) {
      const r = rngFor(seed, 'video', k);
      const n = r.chance(0.5) ? (r.chance(0.3) ? 2 : 1) : 0;
      let earliest = user.loginAt;
      for (let j = 0; j < n; j++) {
        const p = planVideo(rngFor(seed, 'video', k, j), this.ids.playback(k, j), user, earliest);
        out.push(p);
        earliest = p.steps[p.steps.length - 1]?.ts ?? earliest;
      }
    }
    if (!sel.has('checkout') && !sel.has('delivery') && !sel.has('email')) return out;

    const ordered = planCheckout(rngFor(seed, 'checkout', k), this.ids.order(k), user);
    if (!ordered) return out;
    const { order } = ordered;
    if (sel.has('checkout')) {
      if (this.o.termsAgreed) insertTermsAgreed(rngFor(seed, 'checkout.terms-agreed', k), ordered.plan);
      out.push(ordered.plan);
    }
    if (order.placedAt === null) return out;
    if (sel.has('email')) {
      const r = rngFor(seed, 'email', k, 'order-confirmation');
      const cause = eventId(order.id, 'order-placed');
      out.push(
        planEmail(r, this.ids.email(k, 1), 'order-confirmation', user, order.id, cause, order.placedAt),
      );
    }
    const delivered = planDelivery(rngFor(seed, 'delivery', k), this.ids.delivery(k), order, user);
    if (!delivered) return out;
    if (sel.has('delivery')) out.push(delivered.plan);
    if (sel.has('email')) {
      const r = rngFor(seed, 'email', k, 'delivery-receipt');
      if (r.chance(0.5)) {
        const d = delivered.delivery;
        const cause = eventId(d.id, 'delivered');
        out.push(
          planEmail(r, this.ids.email(k, 2), 'delivery-receipt', user, order.id, cause, d.deliveredAt),
        );
      }
    }
    return out;
  }
}
