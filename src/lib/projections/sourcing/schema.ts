import type { TableInfo } from '../types.js';

/**
 * The order and delivery aggregates as plain SQL tables, rebuilt only from fine-grained events.
 * Columns follow the reference fold's state (src/lib/events/domains), one column per field;
 * nested values (an address) are JSON text, a list (the cart) is its own table.
 */
export const SOURCING_SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  order_id TEXT PRIMARY KEY,
  user_id TEXT, store_id TEXT, status TEXT,
  total_cents INTEGER, currency TEXT,
  delivery_address TEXT,
  payment_attempts INTEGER, payment_id TEXT, payment_method TEXT,
  last_payment_failure TEXT, cancel_reason TEXT,
  created_at TEXT, placed_at TEXT, updated_at TEXT,
  terms_version TEXT, terms_agreed_at TEXT);
CREATE TABLE IF NOT EXISTS order_items (
  order_id TEXT NOT NULL, sku TEXT NOT NULL, name TEXT, quantity INTEGER NOT NULL,
  unit_price_cents INTEGER NOT NULL,
  -- the cart keeps items in the order first added; an item removed and added again goes last
  position INTEGER NOT NULL,
  PRIMARY KEY (order_id, sku)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deliveries (
  delivery_id TEXT PRIMARY KEY,
  order_id TEXT, user_id TEXT, store_id TEXT, status TEXT,
  address TEXT, eta_minutes INTEGER, courier_id TEXT,
  lat REAL, lon REAL, location_updates INTEGER,
  accepted_at TEXT, baked_at TEXT, out_for_delivery_at TEXT, delivered_at TEXT, updated_at TEXT);
`;

export const ORDER_COLUMNS = [
  'order_id',
  'user_id',
  'store_id',
  'status',
  'total_cents',
  'currency',
  'delivery_address',
  'payment_attempts',
  'payment_id',
  'payment_method',
  'last_payment_failure',
  'cancel_reason',
  'created_at',
  'placed_at',
  'updated_at',
  'terms_version',
  'terms_agreed_at',
] as const;

export const DELIVERY_COLUMNS = [
  'delivery_id',
  'order_id',
  'user_id',
  'store_id',
  'status',
  'address',
  'eta_minutes',
  'courier_id',
  'lat',
  'lon',
  'location_updates',
  'accepted_at',
  'baked_at',
  'out_for_delivery_at',
  'delivered_at',
  'updated_at',
] as const;

export const SOURCING_TABLES: readonly TableInfo[] = [
  {
    name: 'orders',
    key: ['order_id'],
    description: 'One row per order (cart): status, totals, payment, terms',
    hashSql: `SELECT ${ORDER_COLUMNS.join(', ')} FROM orders ORDER BY order_id`,
  },
  {
    name: 'order_items',
    key: ['order_id', 'sku'],
    description: 'What is in each cart, in the order first added',
    hashSql:
      'SELECT order_id, sku, name, quantity, unit_price_cents FROM order_items ORDER BY order_id, position',
  },
  {
    name: 'deliveries',
    key: ['delivery_id'],
    description: 'One row per delivery: status, courier, last position',
    hashSql: `SELECT ${DELIVERY_COLUMNS.join(', ')} FROM deliveries ORDER BY delivery_id`,
  },
];
