import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbError } from '../../../src/lib/cli/errors.js';
import { type Db, openDb } from '../../../src/lib/projections/db.js';
import { prepareReadOnly } from '../../../src/lib/projections/sql.js';

let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eb-sql-'));
  const path = join(dir, 'p.db');
  const w = openDb(path);
  w.exec(
    "CREATE TABLE orders (order_id TEXT PRIMARY KEY, status TEXT); INSERT INTO orders VALUES ('order-1', 'open')",
  );
  w.close();
  db = openDb(path, { readonly: true });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function refusal(sql: string): EbError {
  try {
    prepareReadOnly(db, sql);
  } catch (err) {
    return err as EbError;
  }
  throw new Error(`got no refusal for ${sql}, want exit 2`);
}

describe('read-only SQL for projection show', () => {
  it.each([
    'SELECT * FROM orders',
    '  select status, count(*) from orders group by status',
    'WITH x AS (SELECT order_id FROM orders) SELECT * FROM x',
    '-- a comment\nSELECT 1',
    '/* c */ SELECT 1',
  ])('accepts %s', (sql) => {
    expect(prepareReadOnly(db, sql).all().length).toBeGreaterThan(0);
  });

  it.each([
    'DELETE FROM orders',
    "INSERT INTO orders VALUES ('order-2', 'x')",
    "UPDATE orders SET status = 'x'",
    'DROP TABLE orders',
    'CREATE TABLE t (a)',
    'PRAGMA journal_mode = DELETE',
    "ATTACH DATABASE '/tmp/x.db' AS x",
    'WITH x AS (SELECT 1) DELETE FROM orders',
    'WITH x AS (SELECT 1) INSERT INTO orders SELECT * FROM orders',
    'SELECT 1; DELETE FROM orders',
    'VACUUM',
  ])('refuses %s with exit 2', (sql) => {
    const e = refusal(sql);
    expect(e.exitCode, `exit code for ${sql}: got ${e.exitCode}, want 2`).toBe(2);
    expect(e.hint).toBeTruthy();
  });

  it('reports bad SQL as a usage error with a hint', () => {
    const e = refusal('SELECT * FROM nope');
    expect(e.message).toMatch(/bad SQL: no such table: nope/);
    expect(e.exitCode).toBe(2);
  });

  it('leaves the data untouched', () => {
    expect(db.prepare('SELECT COUNT(*) AS n FROM orders').get()).toEqual({ n: 1 });
  });
});
