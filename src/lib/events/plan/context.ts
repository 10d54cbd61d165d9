import { hash32, hex8, permute32 } from '../prng.js';
import type { City } from '../world.js';
import type { Address } from '../domains/common.js';

export const SEC = 1000;
export const MIN = 60 * SEC;

/**
 * Entity ids for journey k: a seeded bijection of k, so ids are unique for up to 2^32 journeys
 * (2^30 for emails and playbacks, several per journey), differ per seed, and need no table.
 */
export class IdSpace {
  private readonly keys: Readonly<Record<'user' | 'order' | 'delivery' | 'email' | 'playback', number>>;

  constructor(seed: string) {
    const key = (what: string) => hash32(`${seed}/ids/${what}`);
    this.keys = {
      user: key('user'),
      order: key('order'),
      delivery: key('delivery'),
      email: key('email'),
      playback: key('playback'),
    };
  }

  user(k: number): string {
    return `user-${hex8(permute32(k, this.keys.user))}`;
  }
  order(k: number): string {
    return `order-${hex8(permute32(k, this.keys.order))}`;
  }
  delivery(k: number): string {
    return `delivery-${hex8(permute32(k, this.keys.delivery))}`;
  }
  /** j: 0 welcome, 1 order confirmation, 2 delivery receipt. */
  email(k: number, j: number): string {
    return `email-${hex8(permute32((k * 4 + j) >>> 0, this.keys.email))}`;
  }
  playback(k: number, j: number): string {
    return `playback-${hex8(permute32((k * 4 + j) >>> 0, this.keys.playback))}`;
  }
}

/** What later domains need to know about the journey's user (read from its events). */
export interface UserFacts {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly address: Address;
  readonly city: City;
  /** Business time of login-succeeded; null until (or unless) the user gets in. */
  readonly loginAt: number | null;
  readonly device: string;
}

/** What delivery and email need to know about a placed order (read from order-placed). */
export interface OrderFacts {
  readonly id: string;
  readonly storeId: string;
  readonly placedAt: number;
}
