/**
 * The writer thread's entry (see writer-thread.ts): runs each message's writes in one SQLite
 * transaction on its own connection and answers when COMMIT returned.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { openDb } from './db.js';
import type { WriteOp } from './sink.js';

export interface WriterRequest {
  id: number;
  ops: WriteOp[];
}
/** `ms`: time spent on the transaction (statements and COMMIT). */
export type WriterReply = { id: number; ok: true; ms: number } | { id: number; ok: false; error: string };

const port = parentPort!;
const db = openDb((workerData as { path: string }).path);
const statements = new Map<string, Statement>();

port.on('message', (m: WriterRequest | 'close') => {
  if (m === 'close') {
    db.close();
    port.close();
    return;
  }
  const t0 = performance.now();
  try {
    db.exec('BEGIN');
    for (const op of m.ops) {
      let s = statements.get(op.sql);
      if (!s) statements.set(op.sql, (s = db.prepare(op.sql)));
      for (const row of op.rows) s.run(row);
    }
    db.exec('COMMIT');
    port.postMessage({ id: m.id, ok: true, ms: performance.now() - t0 } satisfies WriterReply);
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    port.postMessage({ id: m.id, ok: false, error: (err as Error).message } satisfies WriterReply);
  }
});
