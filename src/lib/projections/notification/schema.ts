import type { TableInfo } from '../types.js';

/**
 * A mailing service that reacts to thin notifications. Its state is what it has done or could
 * not do yet: the details in it came from calling the source back, not from the events.
 */
export const NOTIFICATION_SCHEMA = `
CREATE TABLE IF NOT EXISTS welcome_emails (
  user_id TEXT PRIMARY KEY, email TEXT, display_name TEXT, notified_at TEXT);
CREATE TABLE IF NOT EXISTS receipts (
  order_id TEXT PRIMARY KEY, user_id TEXT, total_cents INTEGER, item_count INTEGER, notified_at TEXT);
CREATE TABLE IF NOT EXISTS rating_requests (
  delivery_id TEXT PRIMARY KEY, user_id TEXT, email TEXT, notified_at TEXT);
-- notifications whose details the source could not give (it was down, or does not know the id yet)
CREATE TABLE IF NOT EXISTS pending_lookups (
  ce_id TEXT PRIMARY KEY, type TEXT, href TEXT, lookup TEXT, notified_at TEXT);
`;

export const NOTIFICATION_TABLES: readonly TableInfo[] = [
  {
    name: 'welcome_emails',
    key: ['user_id'],
    description: 'A welcome email per registered user (address looked up from identity)',
    hashSql: 'SELECT user_id, email, display_name, notified_at FROM welcome_emails ORDER BY user_id',
  },
  {
    name: 'receipts',
    key: ['order_id'],
    description: 'A receipt per placed order (amount looked up from checkout)',
    hashSql: 'SELECT order_id, user_id, total_cents, item_count, notified_at FROM receipts ORDER BY order_id',
  },
  {
    name: 'rating_requests',
    key: ['delivery_id'],
    description: 'A "rate your pizza" email per delivery (address looked up from identity)',
    hashSql: 'SELECT delivery_id, user_id, email, notified_at FROM rating_requests ORDER BY delivery_id',
  },
  {
    name: 'pending_lookups',
    key: ['ce_id'],
    description: 'Notifications that could not be acted on: the source did not answer',
    hashSql: 'SELECT ce_id, type, href, lookup, notified_at FROM pending_lookups ORDER BY ce_id',
  },
];
