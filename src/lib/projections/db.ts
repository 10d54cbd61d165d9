import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { dataHome } from '../kafka/config.js';
import { EbError, usageError } from '../cli/errors.js';

export type Db = Database.Database;

/** Where a projection's database lives unless --db says otherwise. */
export function defaultDbPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(dataHome(env), 'projections', `${name}.db`);
}

export function projectionsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataHome(env), 'projections');
}

/**
 * The runtime's own tables live next to the state, in the same file, so that one SQLite
 * transaction moves state and checkpoint together (the whole point of exactly-once here).
 */
export const RUNTIME_SCHEMA = `
CREATE TABLE IF NOT EXISTS eb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS eb_checkpoint (
  topic TEXT NOT NULL, partition INTEGER NOT NULL,
  next_offset INTEGER NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (topic, partition));
CREATE TABLE IF NOT EXISTS eb_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS eb_seen_events (entity TEXT PRIMARY KEY, ce_ids TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS eb_outbox (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, entity TEXT NOT NULL, payload TEXT NOT NULL,
  topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL, recorded_at TEXT NOT NULL);
`;

/*
 * eb_seen_events holds, per entity, the ce_ids already applied (newline-separated). A
 * redelivered duplicate is an exact copy, so it has the same subject and ce_id. One row per
 * entity, not per event: a projector reads and writes it once per entity and transaction, and
 * as a rowid table in creation order an update touches the pages of recent entities, where
 * one row per random ce_id dirtied most of an index's pages in every transaction.
 */

/** Opens (creating when writable) a projection database. */
export function openDb(path: string, opts: { readonly?: boolean } = {}): Db {
  if (opts.readonly) {
    if (!existsSync(path))
      throw usageError(
        `no projection database at ${path}`,
        'run `eventbench replay <projection>` first, or pass --db',
      );
    // readonly: SQLite itself refuses any write, whatever statement reaches it.
    return new Database(path, { readonly: true, fileMustExist: true });
  }
  mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new EbError(`cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  // WAL: a reader (projection show) never blocks the replay. synchronous=NORMAL in WAL mode
  // keeps every committed transaction across a killed process (only power loss can lose the
  // last ones, and then state and checkpoint are lost together, still consistent).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(RUNTIME_SCHEMA);
  const seenCols = db.prepare('SELECT name FROM pragma_table_info(?)').all('eb_seen_events') as {
    name: string;
  }[];
  if (!seenCols.some((c) => c.name === 'ce_ids')) {
    db.close();
    throw usageError(
      `${path} was built by an older eventbench (its applied-events table has another shape)`,
      'rebuild it with --reset',
    );
  }
  return db;
}

/** Deletes a database and its WAL side files (for --reset and scratch copies). */
export function removeDb(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM eb_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO eb_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
