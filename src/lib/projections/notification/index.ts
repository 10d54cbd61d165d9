import { ALL_TYPES } from '../../events/index.js';
import type { ProjectionDef } from '../types.js';
import { NotificationApplier } from './apply.js';
import { decodeNotification, NOTIFICATION_DOMAINS, type NotificationIn } from './events.js';
import { NOTIFICATION_SCHEMA, NOTIFICATION_TABLES } from './schema.js';

const known = new Set(ALL_TYPES.filter((t) => NOTIFICATION_DOMAINS.includes(t.domain)).map((t) => t.id));

/** A mailer reacting to thin notifications, calling the source back for every detail. */
export const notification: ProjectionDef<NotificationIn> = {
  name: 'notification',
  pattern: 'notification',
  summary: 'Event notification: a mailer that reacts to thin events and calls the source back for details',
  domains: NOTIFICATION_DOMAINS,
  shape: 'notification',
  knownTypes: known,
  tables: NOTIFICATION_TABLES,
  schema: NOTIFICATION_SCHEMA,
  needsSource: true,
  decode: (r) => decodeNotification(r, known),
  prepare: (db, env) => new NotificationApplier(db, env.source),
  changedRows: (e) => [
    { table: 'welcome_emails', where: 'user_id = ?', id: e.id },
    { table: 'receipts', where: 'order_id = ?', id: e.id },
    { table: 'rating_requests', where: 'delivery_id = ?', id: e.id },
    { table: 'pending_lookups', where: 'ce_id = ?', id: e.ceId },
  ],
};
