import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EbError } from '../cli/errors.js';
import type { WriteOp } from './sink.js';
import type { WriterReply, WriterRequest } from './sql-writer.js';

/**
 * A projection's SQLite writes on a second thread. The replay thread decodes and folds the next
 * transaction's events while this one writes and commits the previous one: on two cores, with
 * the broker needing little, that is most of a second core. One transaction is in flight at a
 * time and each is whole (state, checkpoint, counters, outbox), so a crash leaves exactly the
 * state and offsets of the last COMMIT, as on the single-thread path.
 */
export class WriterThread {
  private nextId = 0;
  private inFlight: Promise<void> | undefined;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;
  /** Time the thread spent writing and committing. */
  busyMs = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: WriterReply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if (r.ok) {
        this.busyMs += r.ms;
        w?.resolve();
      } else w?.reject(new EbError(`writing the projection failed: ${r.error}`));
    });
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => {
      if (this.waiting.size > 0) this.fail(new Error(`the projection writer thread exited (code ${code})`));
    });
  }

  /** The writer for a database file; undefined when there is no compiled writer (tests from sources). */
  static open(path: string): WriterThread | undefined {
    const url = new URL('./sql-writer.js', import.meta.url);
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
    return new WriterThread(new Worker(url, { workerData: { path } }));
  }

  /** Waits until the transaction in flight (if any) is committed; throws if it failed. */
  async settle(): Promise<void> {
    const p = this.inFlight;
    this.inFlight = undefined;
    if (p) await p;
    if (this.failure) throw this.failure;
  }

  /** Sends one transaction's writes; call settle() first (one transaction in flight). */
  commit(ops: WriteOp[]): void {
    if (this.failure) throw this.failure;
    const id = ++this.nextId;
    this.inFlight = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    // A failure surfaces at the next settle(), not as an unhandled rejection.
    this.inFlight.catch(() => undefined);
    this.worker.postMessage({ id, ops } satisfies WriterRequest);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage('close');
    await exited;
  }

  /** Stops at once (the replay failed): an uncommitted transaction is rolled back by SQLite. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
