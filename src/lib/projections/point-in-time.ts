import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaSession } from '../kafka/client.js';
import type { Position } from '../positions/index.js';
import { openDb } from './db.js';
import { diffDatabases, type DiffResult } from './diff.js';
import { replay } from './runtime.js';
import type { ProjectionDef } from './types.js';

export interface DiffAtResult extends DiffResult {
  projection: string;
  /** What each side is: a time/position or a database file. */
  before: string;
  after: string;
}

/** Diff between two database files of one projection (no broker needed). */
export function diffFiles(def: ProjectionDef, beforePath: string, afterPath: string): DiffAtResult {
  const a = openDb(beforePath, { readonly: true });
  const b = openDb(afterPath, { readonly: true });
  try {
    return { projection: def.name, before: beforePath, after: afterPath, ...diffDatabases(a, b, def) };
  } finally {
    a.close();
    b.close();
  }
}

/**
 * Diff between two points in time: replays the projection twice into scratch databases, up to
 * each moment (the event stream is the source of truth, so any past state can be rebuilt), and
 * compares them row by row.
 */
export async function diffAt(
  session: KafkaSession,
  def: ProjectionDef,
  at: [{ text: string; pos: Position }, { text: string; pos: Position }],
  prefix: string,
): Promise<DiffAtResult> {
  const dir = mkdtempSync(join(tmpdir(), 'eb-diff-'));
  try {
    const paths: string[] = [];
    for (const [i, a] of at.entries()) {
      const path = join(dir, `at-${i}.db`);
      await replay(session, def, { dbPath: path, prefix, until: a.pos });
      paths.push(path);
    }
    const r = diffFiles(def, paths[0]!, paths[1]!);
    return { ...r, before: at[0].text, after: at[1].text };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
