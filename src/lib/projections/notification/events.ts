import { HEADERS, parseHref, typeByCeType, type DomainName } from '../../events/index.js';
import type { FetchedRecord } from '../../kafka/partition-reader.js';
import { headerText } from '../../kafka/wire/record-batch-decoder.js';
import type { NeedsLookup } from '../source.js';
import type { Skipped } from '../types.js';

/** The notification topics the mailer listens to. */
export const NOTIFICATION_DOMAINS: readonly DomainName[] = ['identity', 'checkout', 'delivery'];

/** The types it acts on; the rest of the catalogue it knows and ignores. */
export const ACTS_ON = ['identity.user-registered', 'checkout.order-placed', 'delivery.delivered'] as const;

export interface NotificationIn extends NeedsLookup {
  /** Catalogue id, e.g. "checkout.order-placed". */
  readonly type: string;
  readonly ceId: string;
  readonly id: string;
  readonly href: string;
  readonly userId: string | null;
  readonly time: string;
}

/**
 * A thin notification: its type, the entity id and where to look. The details the mailer needs
 * (an email address, an amount) are not in it: `lookup` says which entity to call back for.
 */
export function decodeNotification(r: FetchedRecord, known: ReadonlySet<string>): NotificationIn | Skipped {
  const ceType = headerText(r, HEADERS.type) ?? '';
  const def = typeByCeType(ceType);
  if (!def || !known.has(def.id)) return { skipped: def?.id ?? (ceType || '(no ce_type)') };
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(r.value?.toString('utf8') ?? 'null') as Record<string, unknown>;
  } catch {
    return { skipped: `${def.id} (not JSON)` };
  }
  if (!v || typeof v.id !== 'string' || typeof v.href !== 'string')
    return { skipped: `${def.id} (not a notification)` };
  const userId = typeof v.userId === 'string' ? v.userId : null;
  let lookup: NotificationIn['lookup'];
  if (def.id === 'identity.user-registered' || def.id === 'checkout.order-placed') {
    const where = parseHref(v.href);
    if (where) lookup = { domain: where.domain, id: where.id };
  } else if (def.id === 'delivery.delivered' && userId) {
    // The delivery says who, not where to write: ask identity for the address.
    lookup = { domain: 'identity', id: userId };
  }
  return {
    type: def.id,
    ceId: headerText(r, HEADERS.id) ?? `${r.topic}/${r.partition}/${r.offset}`,
    id: v.id,
    href: v.href,
    userId,
    time: headerText(r, HEADERS.time) ?? '',
    lookup,
  };
}
