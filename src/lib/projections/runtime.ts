import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { usageError } from '../cli/errors.js';
import type { KafkaSession } from '../kafka/client.js';
import { resolveAssignments } from '../kafka/offsets.js';
import { type Assignment, type FetchedRecord, key, PartitionReader } from '../kafka/partition-reader.js';
import type { Position } from '../positions/index.js';
import {
  CheckpointWriter,
  countersWith,
  loadCheckpoint,
  loadCounters,
  type PartitionCheckpoint,
} from './checkpoint.js';
import { type Db, getMeta, openDb, removeDb, setMeta } from './db.js';
import { DirectSink, OpsSink, type RowSink } from './sink.js';
import { openSource, type SourceService } from './source.js';
import { isSkipped, type PatternName, type ProjectionDef, type SideEffect } from './types.js';
import { WriterThread } from './writer-thread.js';

export const DEFAULT_PREFIX = 'eb';

export interface ReplayTimings {
  fetchMs: number;
  decodeMs: number;
  applyMs: number;
  /** Writing and COMMIT, or with the writer thread: handing over and waiting for it. */
  commitMs: number;
  /** The writer thread's own time writing and committing (it overlaps the others). */
  writerMs?: number;
}

export interface ReplayProgress {
  applied: number;
  eventsPerSec: number;
  /** Records between the checkpoint and the log end seen at start (or the newest seen since). */
  lag: number;
}

export interface StepInfo {
  record: FetchedRecord;
  type: string;
  rows: { table: string; rows: Record<string, unknown>[] }[];
}

export interface ReplayOptions {
  dbPath: string;
  /** Topic prefix: topics are <prefix>.<domain>.<shape> (default "eb", the catalogue's convention). */
  prefix?: string;
  from?: Position;
  /** Exclusive; default: the log end at start unless following. */
  until?: Position;
  follow?: boolean;
  reset?: boolean;
  /** Re-live the original gaps between events, this many times faster (1 = real time). */
  pace?: number;
  /** Called after each event in step mode; the next event waits for it to resolve. */
  onStep?: (info: StepInfo) => Promise<void>;
  /** The notification source's service is down: callbacks fail. */
  sourceDown?: boolean;
  signal?: AbortSignal;
  /** Most records per transaction (default 100,000; also committed each second and before any wait). */
  maxTxnRecords?: number;
  onProgress?: (p: ReplayProgress) => void;
  /** Filled with where the time went, when given. */
  timings?: ReplayTimings;
  /**
   * Commit on a writer thread while the next events are folded (default true; used when the
   * projector holds its writes, see Applier.flush, and in neither step nor pace mode).
   */
  writerThread?: boolean;
}

export interface PartitionPosition {
  topic: string;
  partition: number;
  nextOffset: number;
  end: number;
  lag: number;
}

export interface ReplayResult {
  projection: string;
  pattern: PatternName;
  db: string;
  topics: string[];
  resumed: boolean;
  stoppedBy: 'end' | 'until' | 'signal';
  /** This run: events applied, unknown types skipped, side effects held back or recorded. */
  applied: number;
  skipped: Record<string, number>;
  heldBack: Record<string, number>;
  outbox: Record<string, number>;
  callbacks: number;
  callbackMisses: number;
  elapsedMs: number;
  eventsPerSec: number;
  lag: number;
  partitions: PartitionPosition[];
  /** All counters since the database was created. */
  totals: Record<string, number>;
}

/** The topics a projection reads under a prefix. */
export function topicsOf(def: ProjectionDef, prefix = DEFAULT_PREFIX): string[] {
  return def.domains.map((d) => `${prefix}.${d}.${def.shape}`);
}

/** Opens the database for a projection, refusing one that belongs to another projection or prefix. */
export function openProjectionDb(def: ProjectionDef, path: string, prefix: string, reset: boolean): Db {
  if (reset) removeDb(path);
  const db = openDb(path);
  const owner = getMeta(db, 'projection');
  if (owner !== undefined && owner !== def.name) {
    db.close();
    throw usageError(
      `${path} holds projection "${owner}", not "${def.name}"`,
      'pass another --db, or --reset to rebuild it as this projection',
    );
  }
  const storedPrefix = getMeta(db, 'prefix');
  if (storedPrefix !== undefined && storedPrefix !== prefix) {
    db.close();
    throw usageError(
      `${path} was built from topics ${storedPrefix}.*, not ${prefix}.*`,
      `pass --prefix ${storedPrefix}, or --reset to rebuild from ${prefix}.*`,
    );
  }
  db.exec(def.schema);
  if (owner === undefined) {
    setMeta(db, 'projection', def.name);
    setMeta(db, 'pattern', def.pattern);
    setMeta(db, 'prefix', prefix);
    setMeta(db, 'created_at', new Date().toISOString());
  }
  return db;
}

/**
 * Replays a projection's topics into its SQLite database. Events are applied in transactions
 * (many fetches each, see loop()) that also store the next offset of every partition they
 * touched, with the projector's held-back rows flushed just before COMMIT, so a run that is
 * stopped or killed resumes exactly where the committed state ends: no event twice, none skipped.
 *
 * Replay versus live: a record below the log end seen at start is history (replaying) and its
 * side effects are only counted; a record that arrives after that is live and its side effects
 * are recorded in eb_outbox, in the same transaction (a transactional outbox).
 */
export async function replay(
  session: KafkaSession,
  def: ProjectionDef,
  opts: ReplayOptions,
): Promise<ReplayResult> {
  const started = performance.now();
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const db = openProjectionDb(def, opts.dbPath, prefix, opts.reset ?? false);
  try {
    const topics = topicsOf(def, prefix);
    const reader = await PartitionReader.open(session, topics);
    const bounds = await reader.bounds(topics);
    const checkpoint = loadCheckpoint(db);
    const resumed = checkpoint.length > 0;
    if (resumed && opts.from) {
      throw usageError(
        `${def.name} already has a checkpoint in ${opts.dbPath}; --from only applies to a new projection`,
        'add --reset to rebuild from --from, or pass --db for a new file',
      );
    }
    const assignments = await planAssignments(reader, topics, checkpoint, opts);
    const source = def.needsSource
      ? await openSource(session, def, prefix, opts.sourceDown ?? false)
      : undefined;
    const run = new RunState(db, def, bounds, assignments, source, opts);
    let stoppedBy: Awaited<ReturnType<RunState['loop']>>;
    try {
      stoppedBy = await run.loop(reader);
    } catch (err) {
      // The run's own error is the one to report, not a later one from the writer thread.
      await run.close().catch(() => undefined);
      throw err;
    }
    await run.close();
    const totals = loadCounters(db);
    const elapsedMs = performance.now() - started;
    return {
      projection: def.name,
      pattern: def.pattern,
      db: opts.dbPath,
      topics,
      resumed,
      stoppedBy,
      applied: run.applied,
      skipped: countersWith(run.tally, 'skipped:'),
      heldBack: countersWith(run.tally, 'held:'),
      outbox: countersWith(run.tally, 'outbox:'),
      callbacks: source?.calls ?? 0,
      callbackMisses: source?.misses ?? 0,
      elapsedMs: Math.round(elapsedMs),
      eventsPerSec: elapsedMs > 0 ? Math.round((run.applied * 1000) / elapsedMs) : 0,
      lag: run.positions().reduce((s, p) => s + p.lag, 0),
      partitions: run.positions(),
      totals,
    };
  } finally {
    db.close();
  }
}

async function planAssignments(
  reader: PartitionReader,
  topics: string[],
  checkpoint: PartitionCheckpoint[],
  opts: ReplayOptions,
): Promise<Assignment[]> {
  const until: Position | undefined = opts.until ?? (opts.follow ? undefined : { kind: 'end' });
  const list = await resolveAssignments(reader, topics, { from: opts.from ?? { kind: 'earliest' }, until });
  const saved = new Map(checkpoint.map((c) => [key(c.topic, c.partition), c.nextOffset]));
  for (const a of list) {
    const next = saved.get(key(a.topic, a.partition));
    if (next === undefined) continue;
    a.from = next;
    if (a.until !== undefined && next > a.until) {
      throw usageError(
        `the projection is already past --until on ${a.topic} partition ${a.partition} (checkpoint ${next}, --until ${a.until})`,
        'a projection only moves forward: add --reset, or pass --db for a separate point-in-time copy',
      );
    }
  }
  return list;
}

const OUTBOX_INSERT =
  'INSERT INTO eb_outbox(kind, entity, payload, topic, partition, offset, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** Most events in one transaction by default. */
const DEFAULT_TXN_RECORDS = 100_000;
/** A transaction is committed once it is this old, even while fetches keep arriving. */
const COMMIT_INTERVAL_MS = 1000;

/** What the open transaction holds; it reaches the run's totals only when COMMIT succeeds. */
class OpenTxn {
  open = false;
  records = 0;
  applied = 0;
  readonly touched = new Map<string, PartitionCheckpoint>();
  readonly tally = new Map<string, number>();
  private startedAt = 0;

  begin(): void {
    this.open = true;
    this.startedAt = performance.now();
  }

  age(): number {
    return performance.now() - this.startedAt;
  }

  end(): void {
    this.open = false;
    this.records = 0;
    this.applied = 0;
    this.touched.clear();
    this.tally.clear();
  }
}

class RunState {
  applied = 0;
  readonly tally: Record<string, number> = {};
  private readonly writer = new CheckpointWriter();
  /** Where this transaction's writes go: the open transaction, or the writer thread's batch. */
  private readonly sink: RowSink;
  private readonly thread: WriterThread | undefined;
  /** A transaction handed to the writer thread and not yet committed. */
  private inFlight:
    { touched: Map<string, PartitionCheckpoint>; tally: Map<string, number>; applied: number } | undefined;
  private readonly next = new Map<string, PartitionCheckpoint>();
  private readonly ends = new Map<string, number>();
  /** The log ends when the run started: below them is history (replay), from them on is live. */
  private readonly startEnds = new Map<string, number>();
  private readonly applier;
  private readonly started = performance.now();
  private readonly txn = new OpenTxn();
  private prevTs: number | undefined;

  constructor(
    private readonly db: Db,
    private readonly def: ProjectionDef,
    bounds: Map<string, { start: number; end: number }>,
    private readonly assignments: Assignment[],
    private readonly source: SourceService | undefined,
    private readonly opts: ReplayOptions,
  ) {
    for (const a of assignments) {
      const k = key(a.topic, a.partition);
      this.next.set(k, { topic: a.topic, partition: a.partition, nextOffset: a.from });
      this.ends.set(k, bounds.get(k)?.end ?? 0);
      this.startEnds.set(k, bounds.get(k)?.end ?? 0);
    }
    this.applier = def.prepare(db, { source });
    const single = opts.pace !== undefined || opts.onStep !== undefined;
    const writeBehind = this.applier.flush !== undefined && this.applier.settled !== undefined;
    this.thread =
      writeBehind && !single && !source && opts.writerThread !== false
        ? WriterThread.open(opts.dbPath)
        : undefined;
    this.sink = this.thread ? new OpsSink() : new DirectSink(db);
  }

  /** Waits for the writer thread's last commit and stops it. */
  async close(): Promise<void> {
    if (!this.thread) return;
    try {
      await this.settle();
      if (this.opts.timings) this.opts.timings.writerMs = this.thread.busyMs;
      await this.thread.close();
    } catch (err) {
      await this.thread.terminate();
      throw err;
    }
  }

  /** Where each partition stands, counting events applied in the open transaction. */
  positions(): PartitionPosition[] {
    return [...this.next.entries()].map(([k, committed]) => {
      const c = this.txn.touched.get(k) ?? this.inFlight?.touched.get(k) ?? committed;
      const end = this.ends.get(k) ?? 0;
      return { ...c, end, lag: Math.max(0, end - c.nextOffset) };
    });
  }

  async loop(reader: PartitionReader): Promise<'end' | 'until' | 'signal'> {
    const t = this.opts.timings;
    // Projectors read a few headers by name: leave the rest raw (LazyHeadersRecord).
    const records = reader.read(this.assignments, { signal: this.opts.signal, lazyHeaders: true });
    const it = records[Symbol.asyncIterator]();
    const single = this.opts.pace !== undefined || this.opts.onStep !== undefined;
    const max = single ? 1 : (this.opts.maxTxnRecords ?? DEFAULT_TXN_RECORDS);
    let ready = false;
    // Ask for the next fetch before applying this one: the broker reads and sends while we
    // write SQLite, so fetch time only counts where we actually wait for it. A fetch still in
    // flight when we stop early must not become an unhandled rejection.
    const ask = () => {
      ready = false;
      const p = it.next();
      p.then(
        () => (ready = true),
        () => (ready = true),
      );
      return p;
    };
    let ahead = ask();
    try {
      for (;;) {
        // One transaction spans fetches: a COMMIT (and the WAL pages it writes) is paid per
        // transaction, not per fetch. It is closed at the size cap, after COMMIT_INTERVAL_MS,
        // and before waiting at the log end, so a follower's live events are committed at
        // once and a killed run never loses much work (it is redone on resume).
        if (
          this.txn.open &&
          ((!ready && this.caughtUp()) || this.txn.records >= max || this.txn.age() >= COMMIT_INTERVAL_MS)
        )
          await this.commit();
        const t0 = performance.now();
        const n = await ahead;
        if (t) t.fetchMs += performance.now() - t0;
        if (n.done) break;
        if (!single) ahead = ask();
        const batch = n.value;
        for (let i = 0; i < batch.length;) {
          const room = max - this.txn.records;
          if (room <= 0) {
            await this.commit();
            continue;
          }
          const slice = i === 0 && batch.length <= room ? batch : batch.slice(i, i + room);
          i += slice.length;
          if (single) await this.pace(slice[0]!);
          if (this.opts.signal?.aborted) return 'signal';
          const events = await this.decode(slice);
          this.apply(slice, events);
          if (this.opts.onStep) {
            await this.commit();
            await this.step(slice[0]!, events[0]);
          }
        }
        if (single) ahead = ask();
        this.opts.onProgress?.(this.progress());
      }
    } finally {
      // Whatever was applied is whole events with their offsets: keep it, also on abort.
      if (this.txn.open) await this.commit();
    }
    if (this.opts.signal?.aborted) return 'signal';
    return this.opts.until ? 'until' : 'end';
  }

  /** Has every partition been applied up to the newest log end seen? */
  private caughtUp(): boolean {
    for (const [k, committed] of this.next) {
      const c = this.txn.touched.get(k) ?? this.inFlight?.touched.get(k) ?? committed;
      if (c.nextOffset < (this.ends.get(k) ?? 0)) return false;
    }
    return true;
  }

  private progress(): ReplayProgress {
    const secs = (performance.now() - this.started) / 1000;
    return {
      applied: this.applied + (this.inFlight?.applied ?? 0) + this.txn.applied,
      eventsPerSec:
        secs > 0 ? Math.round((this.applied + (this.inFlight?.applied ?? 0) + this.txn.applied) / secs) : 0,
      lag: this.positions().reduce((s, p) => s + p.lag, 0),
    };
  }

  private async decode(records: FetchedRecord[]): Promise<unknown[]> {
    const t = this.opts.timings;
    const t0 = performance.now();
    const events = records.map((r) => this.def.decode(r));
    if (t) t.decodeMs += performance.now() - t0;
    // The notification consumer calls back its source; make sure the source has caught up.
    if (this.source) await this.source.prepare(events);
    return events;
  }

  /** Applies records inside the open transaction (opening one): state, outbox rows, counters. */
  private apply(records: FetchedRecord[], events: unknown[]): void {
    const t = this.opts.timings;
    const t0 = performance.now();
    if (!this.txn.open) {
      if (!this.thread) this.db.exec('BEGIN');
      this.txn.begin();
    }
    const touched = this.txn.touched;
    // A fetch hands out runs of one partition in offset order: the partition's key, log end and
    // checkpoint are settled once per run, after its last record.
    let k = '';
    let last: FetchedRecord | undefined;
    const closeRun = () => {
      if (!last) return;
      if (last.offset >= (this.ends.get(k) ?? 0)) this.ends.set(k, last.offset + 1);
      touched.set(k, { topic: last.topic, partition: last.partition, nextOffset: last.offset + 1 });
    };
    try {
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        const e = events[i];
        if (r.partition !== last?.partition || r.topic !== last.topic) {
          closeRun();
          k = key(r.topic, r.partition);
        }
        last = r;
        if (isSkipped(e)) this.count(`skipped:${e.skipped}`);
        else {
          const effects = this.applier.apply(e);
          this.txn.applied++;
          if (effects) this.effects(effects, r, k);
        }
      }
      closeRun();
      this.txn.records += records.length;
    } catch (err) {
      this.rollback();
      throw err;
    } finally {
      if (t) t.applyMs += performance.now() - t0;
    }
  }

  /**
   * One transaction: the state changes, the outbox rows, the counters and the offsets. On the
   * writer thread, it is handed over and committed while the next one is folded; the run's
   * totals and positions move only once it is committed.
   */
  private async commit(): Promise<void> {
    const t = this.opts.timings;
    const t0 = performance.now();
    try {
      if (this.thread) await this.settle();
      this.applier.flush?.(this.sink);
      if (this.txn.applied) this.writer.count('applied', this.txn.applied);
      if (this.source) this.source.flushCounts(this.writer);
      this.writer.flush(this.txn.touched.values(), this.sink);
      const done = {
        touched: new Map(this.txn.touched),
        tally: new Map(this.txn.tally),
        applied: this.txn.applied,
      };
      if (this.thread) {
        this.thread.commit((this.sink as OpsSink).take());
        this.inFlight = done;
      } else {
        this.db.exec('COMMIT');
        this.committed(done);
      }
    } catch (err) {
      this.rollback();
      throw err;
    } finally {
      if (t) t.commitMs += performance.now() - t0;
    }
    this.txn.end();
  }

  /** Waits until the transaction on the writer thread is committed. */
  private async settle(): Promise<void> {
    await this.thread?.settle();
    const done = this.inFlight;
    this.inFlight = undefined;
    if (done) this.committed(done);
  }

  private committed(done: NonNullable<RunState['inFlight']>): void {
    this.applier.settled?.();
    for (const [k, c] of done.touched) this.next.set(k, c);
    for (const [name, n] of done.tally) this.tally[name] = (this.tally[name] ?? 0) + n;
    this.applied += done.applied;
  }

  private rollback(): void {
    this.writer.discard();
    this.applier.discard?.();
    if (this.sink instanceof OpsSink) this.sink.take();
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.txn.end();
  }

  private count(name: string, n = 1): void {
    this.writer.count(name, n);
    this.txn.tally.set(name, (this.txn.tally.get(name) ?? 0) + n);
  }

  private effects(effects: SideEffect[], r: FetchedRecord, k: string): void {
    const live = r.offset >= (this.startEnds.get(k) ?? 0);
    for (const fx of effects) {
      if (!live) {
        this.count(`held:${fx.kind}`);
        continue;
      }
      this.sink.run(OUTBOX_INSERT, [
        fx.kind,
        fx.entity,
        JSON.stringify(fx.payload),
        r.topic,
        r.partition,
        r.offset,
        new Date().toISOString(),
      ]);
      this.count(`outbox:${fx.kind}`);
    }
  }

  private async pace(r: FetchedRecord): Promise<void> {
    const factor = this.opts.pace;
    if (factor === undefined) return;
    if (this.prevTs !== undefined && r.timestamp > this.prevTs) {
      // Cap one gap at a minute so a quiet night in the data does not look like a hang.
      const ms = Math.min((r.timestamp - this.prevTs) / factor, 60_000);
      if (ms >= 1) await sleep(ms, undefined, { signal: this.opts.signal }).catch(() => undefined);
    }
    // Records come partition by partition, so time steps back at each partition change; pace
    // only the forward steps of the stream's clock, or every partition's span is slept again.
    this.prevTs = Math.max(this.prevTs ?? r.timestamp, r.timestamp);
  }

  private async step(r: FetchedRecord, e: unknown): Promise<void> {
    const rows: StepInfo['rows'] = [];
    const type = isSkipped(e) ? e.skipped : ((e as { type?: string }).type ?? '?');
    if (!isSkipped(e) && this.def.changedRows) {
      for (const q of this.def.changedRows(e)) {
        rows.push({
          table: q.table,
          rows: this.db.prepare(`SELECT * FROM ${q.table} WHERE ${q.where}`).all(q.id) as Record<
            string,
            unknown
          >[],
        });
      }
    }
    await this.opts.onStep?.({ record: r, type, rows });
  }
}
