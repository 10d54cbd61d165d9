import type { Db } from './db.js';
import { hasTable } from './db.js';
import type { RowSink } from './sink.js';

export interface PartitionCheckpoint {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to apply: every offset below it is in the state, none at or above. */
  readonly nextOffset: number;
}

/** The committed offsets, as stored with the state. */
export function loadCheckpoint(db: Db): PartitionCheckpoint[] {
  if (!hasTable(db, 'eb_checkpoint')) return [];
  const rows = db
    .prepare(
      'SELECT topic, partition, next_offset AS nextOffset FROM eb_checkpoint ORDER BY topic, partition',
    )
    .all() as PartitionCheckpoint[];
  return rows;
}

/** Counter names: applied, callbacks, callback-misses, skipped:<type>, held:<kind>, outbox:<kind>. */
export function loadCounters(db: Db): Record<string, number> {
  if (!hasTable(db, 'eb_counters')) return {};
  const out: Record<string, number> = {};
  for (const r of db.prepare('SELECT name, value FROM eb_counters ORDER BY name').all() as {
    name: string;
    value: number;
  }[])
    out[r.name] = r.value;
  return out;
}

/** Counters under one prefix ("skipped:"), without the prefix. */
export function countersWith(counters: Record<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counters)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/**
 * Writes the checkpoint and counter deltas of one transaction. The caller runs it inside the
 * same BEGIN..COMMIT as the state changes: a crash before COMMIT loses both, after it keeps both.
 */
const SAVE_OFFSET = `INSERT INTO eb_checkpoint(topic, partition, next_offset, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT(topic, partition) DO UPDATE SET next_offset = excluded.next_offset, updated_at = excluded.updated_at`;
const ADD_COUNTER = `INSERT INTO eb_counters(name, value) VALUES (?, ?)
  ON CONFLICT(name) DO UPDATE SET value = value + excluded.value`;

export class CheckpointWriter {
  private readonly deltas = new Map<string, number>();

  count(name: string, n = 1): void {
    this.deltas.set(name, (this.deltas.get(name) ?? 0) + n);
  }

  /** Into the open transaction's writes: offsets reached and the counters since the last flush. */
  flush(offsets: Iterable<PartitionCheckpoint>, out: RowSink): void {
    const now = new Date().toISOString();
    for (const o of offsets) out.run(SAVE_OFFSET, [o.topic, o.partition, o.nextOffset, now]);
    for (const [name, n] of this.deltas) out.run(ADD_COUNTER, [name, n]);
    this.deltas.clear();
  }

  /** The transaction rolled back: its counts never happened. */
  discard(): void {
    this.deltas.clear();
  }
}
