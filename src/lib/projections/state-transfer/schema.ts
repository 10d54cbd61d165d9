import type { TableInfo } from '../types.js';

/**
 * A local replica built only from fat events: a few columns to query by, plus the whole state
 * as it arrived (doc). The doc is the duplicated data this pattern pays for its independence.
 */
export const STATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS customers (
  user_id TEXT PRIMARY KEY, email TEXT, display_name TEXT, status TEXT, city TEXT,
  updated_at TEXT, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
  order_id TEXT PRIMARY KEY, user_id TEXT, status TEXT, total_cents INTEGER, item_count INTEGER,
  updated_at TEXT, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
  delivery_id TEXT PRIMARY KEY, order_id TEXT, user_id TEXT, status TEXT, courier_id TEXT,
  updated_at TEXT, doc TEXT NOT NULL);
`;

export const STATE_TABLES: readonly TableInfo[] = [
  {
    name: 'customers',
    key: ['user_id'],
    description: 'Users as the identity service last described them',
    hashSql:
      'SELECT user_id, email, display_name, status, city, updated_at, doc FROM customers ORDER BY user_id',
  },
  {
    name: 'orders',
    key: ['order_id'],
    description: 'Orders as the checkout service last described them',
    hashSql:
      'SELECT order_id, user_id, status, total_cents, item_count, updated_at, doc FROM orders ORDER BY order_id',
  },
  {
    name: 'deliveries',
    key: ['delivery_id'],
    description: 'Deliveries as the delivery service last described them',
    hashSql:
      'SELECT delivery_id, order_id, user_id, status, courier_id, updated_at, doc FROM deliveries ORDER BY delivery_id',
  },
];
