/**
 * Group commit for fsync. An acks=all append waits for an fsync of its partition; appends that
 * arrive while one fsync round is running share the next round, so N concurrent producers cost
 * about one fsync per round instead of N. Rounds run one after another on the event loop
 * (the fsync itself runs on libuv's thread pool).
 */
import { ErrorCode } from '../protocol/error-codes.js';
import type { PartitionLog } from './partition-log.js';
import { KafkaError } from './types.js';

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

export class GroupCommit {
  private dirty = new Set<PartitionLog>();
  private waiters: Waiter[] = [];
  private withIndexes = false;
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();

  /** Remembers that `log` has unsynced writes (the periodic flush will sync it). */
  markDirty(log: PartitionLog): void {
    this.dirty.add(log);
  }

  /** Resolves once `log`'s data written so far is fsynced. */
  sync(log: PartitionLog): Promise<void> {
    this.dirty.add(log);
    return this.enqueue(false);
  }

  /** Syncs every dirty partition, and writes their pending index entries. */
  flushAll(): Promise<void> {
    return this.enqueue(true);
  }

  forget(log: PartitionLog): void {
    this.dirty.delete(log);
  }

  private enqueue(indexes: boolean): Promise<void> {
    if (indexes) this.withIndexes = true;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      this.chain = this.chain.then(() => this.round());
    }
    return done;
  }

  private async round(): Promise<void> {
    this.scheduled = false;
    const waiters = this.waiters;
    const logs = [...this.dirty];
    const indexes = this.withIndexes;
    this.waiters = [];
    this.dirty = new Set();
    this.withIndexes = false;
    try {
      await Promise.all(logs.map((l) => l.sync(indexes)));
      for (const w of waiters) w.resolve();
    } catch (err) {
      const e = new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `fsync failed: ${String(err)}`);
      for (const w of waiters) w.reject(e);
    }
  }
}
