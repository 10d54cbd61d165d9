import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

/** Rows for one SQL statement, in order: what a transaction's writes travel as to the writer. */
export interface WriteOp {
  readonly sql: string;
  readonly rows: unknown[][];
}

/**
 * Where a transaction's row writes go. A write-behind projector and the runtime's own tables
 * (checkpoint, counters, outbox) write through it, so the same code serves both paths:
 * DirectSink runs each statement at once on the open transaction; OpsSink collects them for
 * the writer thread (writer-thread.ts), which runs them in one transaction of its own.
 */
export interface RowSink {
  run(sql: string, params: unknown[]): void;
}

export class DirectSink implements RowSink {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  run(sql: string, params: unknown[]): void {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    s.run(params);
  }
}

/** Collects writes in order; consecutive rows of one statement share one WriteOp. */
export class OpsSink implements RowSink {
  private readonly ops: WriteOp[] = [];

  run(sql: string, params: unknown[]): void {
    const last = this.ops.at(-1);
    if (last?.sql === sql) {
      last.rows.push(params);
      return;
    }
    this.ops.push({ sql, rows: [params] });
  }

  take(): WriteOp[] {
    return this.ops.splice(0);
  }
}
