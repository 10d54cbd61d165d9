import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.js';
import type { Applier, SideEffect, SourceLookup } from '../types.js';
import type { NotificationIn } from './events.js';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The mailer: on a registration, a placed order or a delivery it calls the source back for the
 * details (counted by the source), records what it did and asks for the email as a side effect.
 * When the source does not answer, the notification is parked in pending_lookups: this pattern
 * cannot work while the source is down.
 */
export class NotificationApplier implements Applier<NotificationIn> {
  private readonly s: Record<string, Statement>;

  constructor(
    db: Db,
    private readonly source: SourceLookup | undefined,
  ) {
    this.s = {
      welcome: db.prepare('INSERT OR REPLACE INTO welcome_emails VALUES (?, ?, ?, ?)'),
      receipt: db.prepare('INSERT OR REPLACE INTO receipts VALUES (?, ?, ?, ?, ?)'),
      rating: db.prepare('INSERT OR REPLACE INTO rating_requests VALUES (?, ?, ?, ?)'),
      pending: db.prepare('INSERT OR REPLACE INTO pending_lookups VALUES (?, ?, ?, ?, ?)'),
    };
  }

  apply(e: NotificationIn): SideEffect[] | undefined {
    if (!e.lookup) return undefined;
    const found = this.source?.lookup(e.lookup.domain, e.lookup.id);
    if (!found) {
      this.s.pending!.run(e.ceId, e.type, e.href, `${e.lookup.domain}/${e.lookup.id}`, e.time);
      return undefined;
    }
    switch (e.type) {
      case 'identity.user-registered':
        this.s.welcome!.run(e.id, str(found.email), str(found.displayName), e.time);
        return [{ kind: 'welcome-email', entity: e.id, payload: { to: found.email } }];
      case 'checkout.order-placed': {
        const items = Array.isArray(found.items) ? found.items.length : null;
        const total = typeof found.totalCents === 'number' ? found.totalCents : null;
        this.s.receipt!.run(e.id, str(found.userId), total, items, e.time);
        return [
          { kind: 'receipt-email', entity: e.id, payload: { userId: found.userId, totalCents: total } },
        ];
      }
      case 'delivery.delivered':
        this.s.rating!.run(e.id, e.userId, str(found.email), e.time);
        return [{ kind: 'rate-your-pizza-email', entity: e.id, payload: { to: found.email } }];
      default:
        return undefined;
    }
  }
}
