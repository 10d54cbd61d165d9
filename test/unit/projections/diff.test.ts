import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { diffDatabases } from '../../../src/lib/projections/diff.js';
import type { ProjectionDef } from '../../../src/lib/projections/types.js';

const def = {
  name: 'crafted',
  tables: [
    { name: 'orders', key: ['order_id'], description: '', hashSql: '' },
    { name: 'order_items', key: ['order_id', 'sku'], description: '', hashSql: '' },
  ],
} as unknown as ProjectionDef;

function db(sql: string): Database.Database {
  const d = new Database(':memory:');
  d.exec(`CREATE TABLE orders (order_id TEXT PRIMARY KEY, status TEXT, total INTEGER);
          CREATE TABLE order_items (order_id TEXT, sku TEXT, quantity INTEGER, PRIMARY KEY (order_id, sku));`);
  d.exec(sql);
  return d;
}

describe('projection diff', () => {
  it('finds added, removed and changed rows, with the changed columns only', () => {
    const before = db(`INSERT INTO orders VALUES ('o1', 'open', 100), ('o2', 'open', 50), ('o3', 'paid', 70);
      INSERT INTO order_items VALUES ('o1', 'margherita', 1), ('o1', 'cola', 2), ('o2', 'funghi', 1);`);
    const after = db(`INSERT INTO orders VALUES ('o1', 'placed', 100), ('o3', 'paid', 70), ('o4', 'open', 0);
      INSERT INTO order_items VALUES ('o1', 'margherita', 3), ('o1', 'cola', 2), ('o4', 'funghi', 1);`);
    const r = diffDatabases(before, after, def);
    expect(r.tables).toEqual([
      { table: 'orders', added: 1, removed: 1, changed: 1 },
      { table: 'order_items', added: 1, removed: 1, changed: 1 },
    ]);
    expect(r.rows).toEqual([
      {
        table: 'orders',
        kind: 'changed',
        key: { order_id: 'o1' },
        changes: [{ column: 'status', before: 'open', after: 'placed' }],
      },
      {
        table: 'orders',
        kind: 'removed',
        key: { order_id: 'o2' },
        row: { order_id: 'o2', status: 'open', total: 50 },
      },
      {
        table: 'orders',
        kind: 'added',
        key: { order_id: 'o4' },
        row: { order_id: 'o4', status: 'open', total: 0 },
      },
      {
        table: 'order_items',
        kind: 'changed',
        key: { order_id: 'o1', sku: 'margherita' },
        changes: [{ column: 'quantity', before: 1, after: 3 }],
      },
      {
        table: 'order_items',
        kind: 'removed',
        key: { order_id: 'o2', sku: 'funghi' },
        row: { order_id: 'o2', sku: 'funghi', quantity: 1 },
      },
      {
        table: 'order_items',
        kind: 'added',
        key: { order_id: 'o4', sku: 'funghi' },
        row: { order_id: 'o4', sku: 'funghi', quantity: 1 },
      },
    ]);
  });

  it('is empty between identical databases', () => {
    const sql = "INSERT INTO orders VALUES ('o1', 'open', 1)";
    const r = diffDatabases(db(sql), db(sql), def);
    expect(r.rows).toEqual([]);
  });
});
