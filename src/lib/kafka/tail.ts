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

/** Per partition (key()), the offset after the last record the caller has taken. */
type Consumed = Map<string, number>;

/**
 * Records from the topics, in offset order within each partition, filtered, until done. Yields
 * one array per fetch so callers can render and write in bulk.
 */
export async function* tailRecords(
  session: KafkaSession,
  opts: TailOptions,
): AsyncGenerator<FetchedRecord[]> {
  // A group commits only what was taken here: records the caller received (or that the filter
  // dropped), never the rest of a fetch cut short by --max or --until.
  const consumed: Consumed = new Map();
  const source = opts.group ? groupRecords(session, opts, consumed) : plainRecords(session, opts);
  let n = 0;
  for await (const batch of source) {
    let out = opts.filter ? batch.filter(opts.filter) : batch;
    if (opts.max !== undefined && n + out.length >= opts.max) {
      out = out.slice(0, opts.max - n);
      const last = out[out.length - 1];
      if (out.length) yield out;
      markConsumed(consumed, last ? batch.slice(0, batch.indexOf(last) + 1) : batch);
      return;
    }
    n += out.length;
    if (out.length) yield out;
    markConsumed(consumed, batch);
  }
}

function markConsumed(consumed: Consumed, records: readonly FetchedRecord[]): void {
  // A partition's records come in offset order, so only the last of each run counts (a key
  // string and a map write per record cost more than decoding it).
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const n = records[i + 1];
    if (n === undefined || n.partition !== r.partition || n.topic !== r.topic) {
      consumed.set(key(r.topic, r.partition), r.offset + 1);
    }
  }
}

async function* plainRecords(session: KafkaSession, opts: TailOptions): AsyncGenerator<FetchedRecord[]> {
  const reader = await PartitionReader.open(session, opts.topics);
  const assignments = await resolveAssignments(reader, opts.topics, opts);
  yield* reader.read(assignments, { signal: opts.signal });
}

/**
 * Group mode uses kafkajs's real consumer: it joins the group, gets partitions assigned, and
 * commits what the caller has taken (see tailRecords). An explicit --from seeks the assigned
 * partitions after joining; otherwise the group resumes from its committed offsets.
 */
async function* groupRecords(
  session: KafkaSession,
  opts: TailOptions,
  consumed: Consumed,
): AsyncGenerator<FetchedRecord[]> {
  const reader = await PartitionReader.open(session, opts.topics);
  const planned = await resolveAssignments(reader, opts.topics, opts);
  const plan = new Map(planned.map((a) => [key(a.topic, a.partition), a]));
  if (!opts.fromExplicit) {
    // Where the group will really start: its committed offset (kafkajs falls back to the log
    // start/end only without one). --until end must count from there, or a group that already
    // committed the end would wait forever for records it will never be sent.
    const admin = await session.admin();
    for (const t of await admin.fetchOffsets({ groupId: opts.group!, topics: opts.topics })) {
      for (const p of t.partitions) {
        const a = plan.get(key(t.topic, p.partition));
        const committed = Number(p.offset);
        if (a && committed >= 0) a.from = Math.max(a.from, committed);
      }
    }
  }
  const consumer = await session.consumer({ groupId: opts.group!, allowAutoTopicCreation: false });
  const queue: FetchedRecord[][] = [];
  const positions = new Map<string, number>();
  const committed = new Map<string, number>();
  let assigned: string[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const commit = async () => {
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    for (const [k, offset] of consumed) {
      if (committed.get(k) === offset) continue;
      const [topic = '', partition = '0'] = k.split('\u0000');
      offsets.push({ topic, partition: Number(partition), offset: String(offset) });
      committed.set(k, offset);
    }
    if (offsets.length) await consumer.commitOffsets(offsets);
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
    // We commit ourselves (commit() above): kafkajs's auto-commit would also commit records
    // fetched but never shown, past --until or --max.
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, pause }) => {
      const a = plan.get(key(batch.topic, batch.partition));
      if (!a) {
        // Assigned by the group but not asked for (--partition, or a map naming other
        // partitions): rest it without reading or committing anything.
        pause();
        return;
      }
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
        resolveOffset(m.offset); // the fetch position, not a commit (autoCommit is off)
        positions.set(key(batch.topic, batch.partition), offset + 1);
      }
      // Unresolved records would be fetched again and again; a finished partition rests.
      if (a?.until !== undefined && (positions.get(key(a.topic, a.partition)) ?? a.from) >= a.until) pause();
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
      if (!a) return true; // not asked for: never read
      return a.until === undefined ? false : (positions.get(k) ?? a.from) >= a.until;
    });
  try {
    while (!opts.signal?.aborted) {
      if (failure) throw failure;
      await commit();
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (done()) return;
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(t);
          opts.signal?.removeEventListener('abort', finish);
          resolve();
        };
        const t = setTimeout(finish, 200);
        wake = finish;
        opts.signal?.addEventListener('abort', finish, { once: true });
      });
    }
  } finally {
    await commit().catch(() => undefined);
    await consumer.stop().catch(() => undefined);
  }
}
