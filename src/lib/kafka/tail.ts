import type { Position } from '../positions/index.js';
import type { RecordPredicate } from '../records/filter.js';
import type { KafkaSession } from './client.js';
import { resolveAssignments } from './offsets.js';
import { type FetchedRecord, PartitionReader, key } from './partition-reader.js';

export interface TailOptions {
  topics: string[];
  from: Position;
  /** Exclusive stop; undefined follows until `signal` aborts. */
  until?: Position;
  partitions?: number[];
  /** Stop after this many records (after filtering). */
  max?: number;
  filter?: RecordPredicate;
  /** Consume as this consumer group and commit; without it nothing is left on the broker. */
  group?: string;
  /** Whether --from was given explicitly (a group otherwise resumes from its committed offsets). */
  fromExplicit?: boolean;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

/**
 * Records from the topics, in offset order within each partition, filtered, until done. Yields
 * one array per fetch so callers can render and write in bulk.
 */
export async function* tailRecords(
  session: KafkaSession,
  opts: TailOptions,
): AsyncGenerator<FetchedRecord[]> {
  const source = opts.group ? groupRecords(session, opts) : plainRecords(session, opts);
  let n = 0;
  for await (const batch of source) {
    let out = opts.filter ? batch.filter(opts.filter) : batch;
    if (opts.max !== undefined && n + out.length >= opts.max) {
      out = out.slice(0, opts.max - n);
      if (out.length) yield out;
      return;
    }
    n += out.length;
    if (out.length) yield out;
  }
}

async function* plainRecords(session: KafkaSession, opts: TailOptions): AsyncGenerator<FetchedRecord[]> {
  const reader = await PartitionReader.open(session, opts.topics);
  const assignments = await resolveAssignments(reader, opts.topics, opts);
  yield* reader.read(assignments, { signal: opts.signal });
}

/**
 * Group mode uses kafkajs's real consumer: it joins the group, gets partitions assigned, and
 * commits what it has yielded. An explicit --from seeks the assigned partitions after joining.
 */
async function* groupRecords(session: KafkaSession, opts: TailOptions): AsyncGenerator<FetchedRecord[]> {
  const reader = await PartitionReader.open(session, opts.topics);
  const planned = await resolveAssignments(reader, opts.topics, opts);
  const plan = new Map(planned.map((a) => [key(a.topic, a.partition), a]));
  const consumer = await session.consumer({ groupId: opts.group!, allowAutoTopicCreation: false });
  const queue: FetchedRecord[][] = [];
  const positions = new Map<string, number>();
  let assigned: string[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    const mine = e.payload.memberAssignment as Record<string, number[]>;
    assigned = Object.entries(mine).flatMap(([t, ps]) => ps.map((p) => key(t, p)));
    if (!opts.fromExplicit) return;
    for (const [topic, ps] of Object.entries(mine)) {
      for (const p of ps) {
        const a = plan.get(key(topic, p));
        if (a) consumer.seek({ topic, partition: p, offset: String(a.from) });
      }
    }
  });
  consumer.on(consumer.events.CRASH, (e) => {
    failure = e.payload.error;
    notify();
  });
  await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.from.kind === 'earliest' });
  await consumer.run({
    autoCommit: true,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const a = plan.get(key(batch.topic, batch.partition));
      const out: FetchedRecord[] = [];
      for (const m of batch.messages) {
        const offset = Number(m.offset);
        if (a?.until !== undefined && offset >= a.until) break;
        out.push({
          topic: batch.topic,
          partition: batch.partition,
          offset,
          timestamp: Number(m.timestamp),
          key: m.key ?? null,
          value: m.value ?? null,
          headers: (m.headers ?? {}) as FetchedRecord['headers'],
        });
        resolveOffset(m.offset);
        positions.set(key(batch.topic, batch.partition), offset + 1);
      }
      if (out.length) queue.push(out);
      notify();
      await heartbeat();
    },
  });
  const done = () =>
    opts.until !== undefined &&
    assigned.length > 0 &&
    assigned.every((k) => {
      const a = plan.get(k);
      return a?.until === undefined ? false : (positions.get(k) ?? a.from) >= a.until;
    });
  try {
    while (!opts.signal?.aborted) {
      if (failure) throw failure;
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (done()) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        const t = setTimeout(resolve, 200);
        opts.signal?.addEventListener('abort', () => resolve(), { once: true });
        void t;
      });
    }
  } finally {
    await consumer.stop().catch(() => undefined);
  }
}
