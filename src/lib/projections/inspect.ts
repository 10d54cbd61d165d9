import { existsSync } from 'node:fs';
import { usageError } from '../cli/errors.js';
import type { KafkaSession } from '../kafka/client.js';
import { key, PartitionReader } from '../kafka/partition-reader.js';
import { countersWith, loadCheckpoint, loadCounters } from './checkpoint.js';
import { type Db, defaultDbPath, getMeta, hasTable, openDb } from './db.js';
import { PROJECTIONS } from './registry.js';
import { DEFAULT_PREFIX, topicsOf } from './runtime.js';
import { prepareReadOnly } from './sql.js';
import { DUPLICATED_BYTES_SQL } from './state-transfer/index.js';
import type { PatternName, ProjectionDef } from './types.js';

export interface ProjectionListEntry {
  name: string;
  pattern: PatternName;
  summary: string;
  topics: string[];
  tables: string[];
  db: string;
  exists: boolean;
  applied: number | null;
}

export function listProjections(): ProjectionListEntry[] {
  return PROJECTIONS.map((def) => {
    const db = defaultDbPath(def.name);
    const exists = existsSync(db);
    let applied: number | null = null;
    if (exists) applied = withDb(db, (h) => loadCounters(h).applied ?? 0);
    return {
      name: def.name,
      pattern: def.pattern,
      summary: def.summary,
      topics: topicsOf(def),
      tables: def.tables.map((t) => t.name),
      db,
      exists,
      applied,
    };
  });
}

export function withDb<T>(path: string, fn: (db: Db) => T): T {
  const db = openDb(path, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export interface ProjectionStatus {
  projection: string;
  pattern: PatternName;
  db: string;
  prefix: string;
  partitions: { topic: string; partition: number; checkpoint: number | null; logEnd: number; lag: number }[];
  lag: number;
  applied: number;
  skipped: Record<string, number>;
  heldBack: Record<string, number>;
  outbox: Record<string, number>;
  callbacks: number;
  callbackMisses: number;
  tables: { name: string; rows: number }[];
  /** State transfer: bytes of source data the replica holds a copy of. */
  duplicatedBytes: number | null;
}

/** Checkpointed offsets against the log end, plus what the database counted. */
export async function projectionStatus(
  session: KafkaSession,
  def: ProjectionDef,
  dbPath: string,
): Promise<ProjectionStatus> {
  const local = withDb(dbPath, (db) => {
    const owner = getMeta(db, 'projection');
    if (owner !== undefined && owner !== def.name)
      throw usageError(`${dbPath} holds projection "${owner}", not "${def.name}"`, 'pass the right --db');
    return {
      prefix: getMeta(db, 'prefix') ?? DEFAULT_PREFIX,
      checkpoint: loadCheckpoint(db),
      counters: loadCounters(db),
      tables: def.tables.map((t) => ({
        name: t.name,
        rows: hasTable(db, t.name)
          ? (db.prepare(`SELECT COUNT(*) AS n FROM ${t.name}`).get() as { n: number }).n
          : 0,
      })),
      duplicatedBytes:
        def.pattern === 'state-transfer'
          ? (db.prepare(DUPLICATED_BYTES_SQL).get() as { bytes: number }).bytes
          : null,
    };
  });
  const topics = topicsOf(def, local.prefix);
  const reader = await PartitionReader.open(session, topics);
  const bounds = await reader.bounds(topics);
  const saved = new Map(local.checkpoint.map((c) => [key(c.topic, c.partition), c.nextOffset]));
  const partitions = [...bounds.entries()].map(([k, b]) => {
    const [topic = '', p = '0'] = k.split('\u0000');
    const checkpoint = saved.get(k) ?? null;
    return {
      topic,
      partition: Number(p),
      checkpoint,
      logEnd: b.end,
      lag: Math.max(0, b.end - (checkpoint ?? b.start)),
    };
  });
  const c = local.counters;
  return {
    projection: def.name,
    pattern: def.pattern,
    db: dbPath,
    prefix: local.prefix,
    partitions,
    lag: partitions.reduce((s, p) => s + p.lag, 0),
    applied: c.applied ?? 0,
    skipped: countersWith(c, 'skipped:'),
    heldBack: countersWith(c, 'held:'),
    outbox: countersWith(c, 'outbox:'),
    callbacks: c.callbacks ?? 0,
    callbackMisses: c['callback-misses'] ?? 0,
    tables: local.tables,
    duplicatedBytes: local.duplicatedBytes,
  };
}

export interface ShowResult {
  projection: string;
  db: string;
  sql: string;
  columns: string[];
  rows: Record<string, unknown>[];
  /** More rows matched than --limit allowed. */
  truncated: boolean;
}

/** Read-only query: a table of the projection (or eb_* runtime table), or a SELECT. */
export function showRows(
  def: ProjectionDef,
  dbPath: string,
  q: { table?: string; sql?: string; limit: number },
): ShowResult {
  return withDb(dbPath, (db) => {
    let sql = q.sql;
    if (q.table !== undefined) {
      const known = [
        ...def.tables.map((t) => t.name),
        'eb_checkpoint',
        'eb_counters',
        'eb_outbox',
        'eb_meta',
      ];
      if (!known.includes(q.table))
        throw usageError(`${def.name} has no table "${q.table}"`, `tables: ${known.join(', ')}`);
      const order = def.tables.find((t) => t.name === q.table)?.key.join(', ') ?? 'rowid';
      sql = `SELECT * FROM ${q.table} ORDER BY ${order}`;
    }
    if (sql === undefined) throw usageError('give --table or --sql');
    const stmt = prepareReadOnly(db, sql);
    const rows: Record<string, unknown>[] = [];
    let truncated = false;
    for (const row of stmt.iterate() as Iterable<Record<string, unknown>>) {
      if (rows.length >= q.limit) {
        truncated = true;
        break;
      }
      rows.push(row);
    }
    return {
      projection: def.name,
      db: dbPath,
      sql,
      columns: stmt.columns().map((c) => c.name),
      rows,
      truncated,
    };
  });
}

export interface TableOverview {
  name: string;
  description: string;
  rows: number;
}

/** The projection's tables with their row counts (what `projection show` prints without --table). */
export function tablesOverview(def: ProjectionDef, dbPath: string): TableOverview[] {
  return withDb(dbPath, (db) =>
    def.tables.map((t) => ({
      name: t.name,
      description: t.description,
      rows: hasTable(db, t.name)
        ? (db.prepare(`SELECT COUNT(*) AS n FROM ${t.name}`).get() as { n: number }).n
        : 0,
    })),
  );
}
