import type { ProduceSender } from './produce-sender.js';

/**
 * Produce requests in flight, in order. Without idempotence a topic has at most one request in
 * flight; the next one is built meanwhile and sent when the first is answered: that is what
 * keeps a key's records in order when a request is retried (Kafka's rule for producers without
 * idempotence: max.in.flight.requests.per.connection=1). An idempotent producer may have up to
 * five per topic (the broker orders them by sequence number; Kafka keeps the last five batches'
 * sequences per partition, KIP-98/KAFKA-5494). Requests of different topics go out side by side,
 * up to `maxInFlight`.
 */

/**
 * A request is sent once its batches reach this many bytes, whatever a record count says: the
 * broker refuses a batch above max.message.bytes (1 MiB by default) with MESSAGE_TOO_LARGE, and
 * when one partition gets everything its batch is the whole request. Java's producer caps a
 * request at 1 MB (max.request.size) for the same reason.
 */
export const MAX_REQUEST_BYTES = 1_000_000;

export interface PartitionSummary {
  topic: string;
  partition: number;
  count: number;
  /** null with acks=0: the broker does not say. */
  firstOffset: number | null;
  lastOffset: number | null;
}

/** One partition's batch of a request: its records' count and the encoded batch. */
export interface OutgoingBatch {
  partition: number;
  count: number;
  batch: Buffer | Promise<Buffer>;
  /**
   * Called when the batch's buffer may be written over: its request was answered at the first
   * attempt. After a retry a superseded write might still sit in a socket's queue, so then the
   * buffer is left to the garbage collector.
   */
  release?: () => void;
}

export class RequestPipeline {
  private readonly inflight = new Set<Promise<void>>();
  /** Per topic, the newest request's encoding: the next one is sent after it. */
  private readonly encodedTail = new Map<string, Promise<void>>();
  /** Requests in flight per topic, oldest first. */
  private readonly byTopic = new Map<string, Promise<void>[]>();
  private readonly summaries = new Map<string, PartitionSummary>();
  private failure: unknown;

  constructor(
    private readonly sender: ProduceSender,
    private readonly acks: number,
    private readonly maxInFlight: number,
    /** Requests per topic in flight at once: 1, or up to 5 for an idempotent producer. */
    private readonly perTopic = 1,
  ) {}

  /**
   * Starts one request for `topic` once its previous one is answered and there is room; resolves
   * when it has started. `onDone` runs when it is answered (or has failed).
   */
  async send(topic: string, batches: OutgoingBatch[], onDone?: () => void): Promise<void> {
    // Both conditions hold at once before starting: callers may send for one topic concurrently.
    for (;;) {
      const before = this.byTopic.get(topic) ?? [];
      if (before.length >= this.perTopic) await before[0];
      else if (this.inflight.size >= this.maxInFlight) await Promise.race(this.inflight);
      else break;
    }
    if (this.failure) throw this.failure;
    const p: Promise<void> = this.request(topic, batches).then(
      () => this.settle(topic, p, onDone),
      (err: unknown) => {
        this.failure ??= err;
        this.settle(topic, p, onDone);
      },
    );
    this.byTopic.set(topic, [...(this.byTopic.get(topic) ?? []), p]);
    this.inflight.add(p);
  }

  /** Waits for every request; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.inflight);
    if (this.failure) throw this.failure;
  }

  partitions(): PartitionSummary[] {
    return [...this.summaries.values()].sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
    );
  }

  private settle(topic: string, p: Promise<void>, onDone?: () => void): void {
    this.inflight.delete(p);
    const left = (this.byTopic.get(topic) ?? []).filter((x) => x !== p);
    if (left.length > 0) this.byTopic.set(topic, left);
    else this.byTopic.delete(topic);
    onDone?.();
  }

  private async request(topic: string, batches: OutgoingBatch[]): Promise<void> {
    // gzip runs on libuv's thread pool, so the partitions compress in parallel. A topic's
    // requests still go out in the order they were made: behind the one before, whose batches
    // hold the lower sequence numbers (a later one first would be refused as out of order).
    const previous = this.encodedTail.get(topic);
    const encoding = Promise.all(
      batches.map(async (b) => ({ partition: b.partition, batch: await b.batch })),
    ).then(async (e) => {
      await previous;
      return e;
    });
    const tail = encoding.then(
      () => undefined,
      () => undefined,
    );
    this.encodedTail.set(topic, tail);
    const encoded = await encoding;
    if (this.encodedTail.get(topic) === tail) this.encodedTail.delete(topic);
    const attempts = { count: 0 };
    const base = await this.sender.send(topic, encoded, attempts);
    // acks=0 is answered when the request is handed to the socket, not when it is written.
    if (attempts.count === 1 && this.acks !== 0) for (const b of batches) b.release?.();
    for (const { partition, count } of batches) {
      const k = `${topic}:${partition}`;
      let s = this.summaries.get(k);
      if (!s)
        this.summaries.set(k, (s = { topic, partition, count: 0, firstOffset: null, lastOffset: null }));
      const b = this.acks === 0 ? null : (base.get(partition) ?? null);
      s.count += count;
      if (b !== null && b >= 0) {
        s.firstOffset = s.firstOffset === null ? b : Math.min(s.firstOffset, b);
        s.lastOffset = Math.max(s.lastOffset ?? -1, b + count - 1);
      }
    }
  }
}
