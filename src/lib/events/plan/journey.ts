import { rngFor } from '../prng.js';
import { DOMAIN_DEFS } from '../registry.js';
import type { DomainDef, DomainName, Links } from '../types.js';
import { cityByName } from '../world.js';
import { checkoutTypes } from '../domains/checkout.js';
import { eventId, type Address, type Step, type StepStream } from '../domains/common.js';
import { deliveryTypes } from '../domains/delivery.js';
import { identityTypes } from '../domains/identity.js';
import { IdSpace, type UserFacts } from './context.js';
import { planIdentity } from './identity.js';
import { planCheckout } from './checkout.js';
import { planDelivery } from './delivery.js';
import { planEmail, type EmailTemplate } from './email.js';
import { planVideo } from './video.js';

export interface WorldOptions {
  readonly seed: string;
  readonly domains: ReadonlySet<DomainName>;
  readonly termsAgreed: boolean;
}

/** One entity of a journey, its lifecycle still to be planned step by step. */
export interface EntitySpec {
  readonly journey: Journey;
  readonly domain: DomainDef;
  readonly id: string;
  readonly links: Links;
  /** ce_id of the event in another entity that caused this entity's first event; null for a root. */
  readonly causedBy: string | null;
  readonly steps: StepStream;
  /** Spawn order within the journey (tie-break for equal times). */
  readonly index: number;
}

/**
 * Where entities go: `emit` says whether the entity's domain is selected. A sink drives an
 * unselected entity to its end at once (its facts may start selected ones) and a selected one
 * lazily, step by step, as the simulated clock reaches it.
 */
export type EntitySink = (spec: EntitySpec, emit: boolean) => void;

/** What is shared by all journeys of one run. */
export class World {
  readonly ids: IdSpace;
  constructor(readonly o: WorldOptions) {
    this.ids = new IdSpace(o.seed);
  }
  selects(d: DomainName): boolean {
    return this.o.domains.has(d);
  }
}

/**
 * Journey k: one new user and everything they cause. The user registers at t0, signs in, fills
 * a cart, pays; the store accepts, bakes and delivers; emails go out; the user may watch a video
 * while waiting. Every entity draws from its own stream, "<seed>/<domain>/<k>[/<n>]", and an
 * entity begins when the step that causes it is planned, reading only facts of earlier steps
 * (ids, times). So which domains are selected, and whether terms-agreed is on, never changes
 * another entity's data.
 */
export class Journey {
  readonly userId: string;
  /** ce_id of the journey's first event, and its bytes (the correlation_id of every record). */
  readonly correlationId: string;
  readonly correlation: Buffer;
  private user: UserFacts | undefined;
  private spawned = 0;
  private videosLeft = 0;
  private videosSpawned = 0;
  private lastVideoTs = 0;

  constructor(
    private readonly w: World,
    readonly k: number,
    readonly t0: number,
    private readonly sink: EntitySink,
  ) {
    this.userId = w.ids.user(k);
    this.correlationId = eventId(this.userId, 'user-registered');
    this.correlation = Buffer.from(this.correlationId);
  }

  start(): void {
    const stream = planIdentity(rngFor(this.w.o.seed, 'identity', this.k), this.userId, this.t0);
    this.spawn('identity', this.userId, {}, null, stream);
  }

  /** Called for each step of each entity as it is planned, in that entity's order. */
  onStep(spec: EntitySpec, step: Step): void {
    const { w, k } = this;
    const seed = w.o.seed;
    const d = step.data;
    switch (step.def) {
      case identityTypes.userRegistered: {
        const address = d.address as Address;
        this.user = {
          id: this.userId,
          email: d.email as string,
          displayName: d.displayName as string,
          address,
          city: cityByName(address.city),
          loginAt: null,
          device: '',
        };
        this.email('welcome', 0, null, eventId(this.userId, 'user-registered'), step.ts);
        return;
      }
      case identityTypes.loginSucceeded: {
        const user = { ...(this.user as UserFacts), loginAt: step.ts, device: d.device as string };
        this.user = user;
        const cause = eventId(this.userId, 'login-succeeded');
        if (w.selects('video')) {
          const r = rngFor(seed, 'video', k);
          this.videosLeft = r.chance(0.5) ? (r.chance(0.3) ? 2 : 1) : 0;
          this.nextVideo(step.ts);
        }
        if (w.selects('checkout') || w.selects('delivery') || w.selects('email')) {
          const terms = w.o.termsAgreed ? rngFor(seed, 'checkout.terms-agreed', k) : null;
          const orderId = w.ids.order(k);
          const stream = planCheckout(rngFor(seed, 'checkout', k), orderId, user, terms);
          this.spawn('checkout', orderId, { userId: this.userId }, cause, stream);
        }
        return;
      }
      case checkoutTypes.orderPlaced: {
        const order = { id: d.orderId as string, storeId: d.storeId as string, placedAt: step.ts };
        const cause = eventId(order.id, 'order-placed');
        this.email('order-confirmation', 1, order.id, cause, step.ts);
        if (w.selects('delivery') || w.selects('email')) {
          const deliveryId = w.ids.delivery(k);
          const stream = planDelivery(rngFor(seed, 'delivery', k), deliveryId, order, this.user as UserFacts);
          this.spawn('delivery', deliveryId, { userId: this.userId, orderId: order.id }, cause, stream);
        }
        return;
      }
      case deliveryTypes.delivered: {
        if (!w.selects('email')) return;
        // Half of the deliveries get a receipt; the coin comes from the receipt's own stream.
        const r = rngFor(seed, 'email', k, 'delivery-receipt');
        if (r.chance(0.5))
          this.email('delivery-receipt', 2, d.orderId as string, eventId(spec.id, 'delivered'), step.ts, r);
        return;
      }
      default:
        if (spec.domain.name === 'video') this.lastVideoTs = step.ts;
    }
  }

  /** Called when an entity's lifecycle has no more steps. */
  onDone(spec: EntitySpec): void {
    if (spec.domain.name === 'video') this.nextVideo(this.lastVideoTs);
  }

  private nextVideo(earliest: number): void {
    if (this.videosLeft <= 0) return;
    this.videosLeft--;
    const j = this.videosSpawned++;
    const { seed } = this.w.o;
    const id = this.w.ids.playback(this.k, j);
    const stream = planVideo(rngFor(seed, 'video', this.k, j), id, this.user as UserFacts, earliest);
    this.spawn('video', id, { userId: this.userId }, eventId(this.userId, 'login-succeeded'), stream);
  }

  private email(
    template: EmailTemplate,
    j: number,
    orderId: string | null,
    cause: string,
    after: number,
    rng = rngFor(this.w.o.seed, 'email', this.k, template),
  ): void {
    if (!this.w.selects('email')) return;
    const id = this.w.ids.email(this.k, j);
    const stream = planEmail(rng, id, template, this.user as UserFacts, orderId, after);
    this.spawn('email', id, { userId: this.userId, orderId }, cause, stream);
  }

  private spawn(
    domain: DomainName,
    id: string,
    links: Links,
    causedBy: string | null,
    steps: StepStream,
  ): void {
    const spec: EntitySpec = {
      journey: this,
      domain: DOMAIN_DEFS[domain],
      id,
      links,
      causedBy,
      steps,
      index: this.spawned++,
    };
    this.sink(spec, this.w.selects(domain));
  }
}
