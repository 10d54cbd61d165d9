/**
 * Idempotent-producer state of one partition (KIP-98), as Kafka's ProducerStateManager keeps it:
 * per producer id its epoch and the metadata of its last 5 batches (the most a producer can
 * have in flight). A retried batch whose sequence range matches one of them is a duplicate:
 * we answer with the offset it got the first time and write nothing. A gap is
 * OUT_OF_ORDER_SEQUENCE_NUMBER; an older epoch is INVALID_PRODUCER_EPOCH (KIP-588).
 */
import { ErrorCode } from '../protocol/error-codes.js';
import { KafkaError } from './types.js';

/** Kafka keeps this many batches per producer (max.in.flight.requests.per.connection <= 5). */
export const BATCHES_PER_PRODUCER = 5;
const INT_MAX = 2147483647;

export interface BatchMeta {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly baseOffset: number;
  readonly lastOffsetDelta: number;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchMeta[];
}

/** Sequence numbers wrap from INT_MAX to 0 (DefaultRecordBatch.incrementSequence). */
export function lastSequence(firstSeq: number, delta: number): number {
  return firstSeq > INT_MAX - delta ? delta - (INT_MAX - firstSeq) - 1 : firstSeq + delta;
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT_MAX);
}

export type Snapshot = [producerId: number, epoch: number, batches: [number, number, number, number][]][];

export class ProducerState {
  private readonly producers = new Map<number, ProducerEntry>();
  /** Changes of the append in progress; committed only once its bytes are written. */
  private staged = new Map<number, ProducerEntry>();

  get size(): number {
    return this.producers.size;
  }

  private current(pid: number): ProducerEntry | undefined {
    return this.staged.get(pid) ?? this.producers.get(pid);
  }

  /**
   * Checks one batch of an append in progress. Returns the original batch when it is a
   * duplicate, else null (and stages the batch; its offset comes with `stageOffset`).
   */
  check(pid: number, epoch: number, firstSeq: number, lastOffsetDelta: number): BatchMeta | null {
    const entry = this.current(pid);
    const lastSeq = lastSequence(firstSeq, lastOffsetDelta);
    if (entry) {
      if (epoch < entry.epoch) {
        throw new KafkaError(
          ErrorCode.INVALID_PRODUCER_EPOCH,
          `Epoch of producer ${pid} is ${epoch}, which is smaller than the last seen epoch ${entry.epoch}`,
        );
      }
      if (epoch === entry.epoch) {
        for (const b of entry.batches) if (b.firstSeq === firstSeq && b.lastSeq === lastSeq) return b;
        const last = entry.batches[entry.batches.length - 1];
        if (firstSeq >= 0 && last && !inSequence(last.lastSeq, firstSeq)) {
          throw new KafkaError(
            ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
            `Out of order sequence number for producer ${pid}: ${firstSeq} (incoming seq. number), ${last.lastSeq} (current end sequence number)`,
          );
        }
      } else if (firstSeq > 0) {
        // A new epoch starts its sequences at 0 (Kafka's ProducerAppendInfo.checkSequence).
        throw new KafkaError(
          ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `Invalid sequence number for new epoch of producer ${pid}: ${epoch} (request epoch), ${firstSeq} (seq. number)`,
        );
      }
    }
    // No entry: a producer we have no state for (new, or its batches were deleted) may start anywhere.
    return null;
  }

  /** Records a checked batch at its assigned offset, in the staging area. */
  stage(pid: number, epoch: number, firstSeq: number, lastOffsetDelta: number, baseOffset: number): void {
    const cur = this.current(pid);
    const entry: ProducerEntry =
      cur && cur.epoch === epoch ? { epoch, batches: cur.batches.slice() } : { epoch, batches: [] };
    entry.batches.push({
      firstSeq,
      lastSeq: lastSequence(firstSeq, lastOffsetDelta),
      baseOffset,
      lastOffsetDelta,
    });
    if (entry.batches.length > BATCHES_PER_PRODUCER) entry.batches.shift();
    this.staged.set(pid, entry);
  }

  commit(): void {
    for (const [pid, e] of this.staged) this.producers.set(pid, e);
    this.staged = new Map();
  }

  abort(): void {
    if (this.staged.size > 0) this.staged = new Map();
  }

  /** Replays a batch found on disk (rebuilding state after a restart): no checks, newest wins. */
  replay(pid: number, epoch: number, firstSeq: number, lastOffsetDelta: number, baseOffset: number): void {
    const cur = this.producers.get(pid);
    if (cur && epoch < cur.epoch) return;
    this.stage(pid, epoch, firstSeq, lastOffsetDelta, baseOffset);
    this.commit();
  }

  clear(): void {
    this.producers.clear();
    this.staged = new Map();
  }

  snapshot(): Snapshot {
    const out: Snapshot = [];
    for (const [pid, e] of this.producers) {
      out.push([
        pid,
        e.epoch,
        e.batches.map((b) => [b.firstSeq, b.lastSeq, b.baseOffset, b.lastOffsetDelta]),
      ]);
    }
    return out;
  }

  restore(s: Snapshot): void {
    this.clear();
    for (const [pid, epoch, batches] of s) {
      this.producers.set(pid, {
        epoch,
        batches: batches.map(([firstSeq, lastSeq, baseOffset, lastOffsetDelta]) => ({
          firstSeq,
          lastSeq,
          baseOffset,
          lastOffsetDelta,
        })),
      });
    }
  }
}
