import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import type { ProjectionDef } from './types.js';

/**
 * A content hash of a projection's state tables: for each table its name, then one JSON array
 * per row (the table's hashSql columns, in its canonical order). Two databases with the same
 * rows hash the same whatever order the rows were written in.
 */
export function contentHash(db: Db, def: ProjectionDef): string {
  const h = createHash('sha256');
  for (const t of def.tables) {
    h.update(`${t.name}\n`);
    for (const row of db.prepare(t.hashSql).raw().iterate() as Iterable<unknown[]>)
      h.update(`${JSON.stringify(row)}\n`);
  }
  return h.digest('hex');
}
