import type { Db } from './db.js';
import { hasTable } from './db.js';
import type { ProjectionDef, TableInfo } from './types.js';

export interface ColumnChange {
  column: string;
  before: unknown;
  after: unknown;
}

export interface RowDiff {
  table: string;
  kind: 'added' | 'removed' | 'changed';
  /** The primary key values, by column. */
  key: Record<string, unknown>;
  /** Added: the new row; removed: the old one. */
  row?: Record<string, unknown>;
  /** Changed: only the columns whose values differ. */
  changes?: ColumnChange[];
}

export interface TableDiffSummary {
  table: string;
  added: number;
  removed: number;
  changed: number;
}

export interface DiffResult {
  tables: TableDiffSummary[];
  rows: RowDiff[];
}

type Row = Record<string, unknown>;

function rowsByKey(db: Db, t: TableInfo): Map<string, Row> {
  const out = new Map<string, Row>();
  if (!hasTable(db, t.name)) return out;
  for (const r of db.prepare(`SELECT * FROM ${t.name}`).iterate() as Iterable<Row>)
    out.set(JSON.stringify(t.key.map((k) => r[k])), r);
  return out;
}

/**
 * Row-level difference between two databases of the same projection ("before" and "after"):
 * rows matched by primary key; added, removed, and changed with the columns that differ.
 */
export function diffDatabases(before: Db, after: Db, def: ProjectionDef): DiffResult {
  const tables: TableDiffSummary[] = [];
  const rows: RowDiff[] = [];
  for (const t of def.tables) {
    const a = rowsByKey(before, t);
    const b = rowsByKey(after, t);
    const sum: TableDiffSummary = { table: t.name, added: 0, removed: 0, changed: 0 };
    const keyOf = (r: Row) => Object.fromEntries(t.key.map((k) => [k, r[k]]));
    const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
    for (const k of keys) {
      const x = a.get(k);
      const y = b.get(k);
      if (!x && y) {
        sum.added++;
        rows.push({ table: t.name, kind: 'added', key: keyOf(y), row: y });
      } else if (x && !y) {
        sum.removed++;
        rows.push({ table: t.name, kind: 'removed', key: keyOf(x), row: x });
      } else if (x && y) {
        const changes: ColumnChange[] = [];
        for (const c of new Set([...Object.keys(x), ...Object.keys(y)]))
          if (x[c] !== y[c]) changes.push({ column: c, before: x[c] ?? null, after: y[c] ?? null });
        if (changes.length) {
          sum.changed++;
          rows.push({ table: t.name, kind: 'changed', key: keyOf(y), changes });
        }
      }
    }
    tables.push(sum);
  }
  return { tables, rows };
}
