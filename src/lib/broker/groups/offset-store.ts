// Committed offsets and group records, in memory and on disk under <dataDir>/groups/.
//
// Kafka keeps these in the compacted __consumer_offsets topic; we keep the same facts in two
// files: journal.log, one JSON line per change, appended and fsynced before the change is applied
// (so a commit is answered only once it is durable; changes that arrive during an fsync share the
// next one), and snapshot.json, the compacted state, replaced atomically (temp file, fsync,
// rename). Each journal line carries a sequence number and the snapshot the last one it covers,
// so a crash between writing a snapshot and emptying the journal replays nothing twice. A torn
// last line (a crash mid-append) is ignored; so is everything after a line that does not parse.
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommittedOffset } from './types.js';

export interface GroupRecord {
  protocolType: string;
  generationId: number;
}

export type StoreChange =
  | { op: 'commit'; group: string; offsets: { topic: string; partition: number; value: CommittedOffset }[] }
  | { op: 'delete-offsets'; group: string; partitions: { topic: string; partition: number }[] }
  | { op: 'delete-topics'; topics: string[] }
  | { op: 'group'; group: string; record: GroupRecord }
  | { op: 'delete-group'; group: string };

type Offsets = Map<string, Map<number, CommittedOffset>>;

/** [offset, leaderEpoch, metadata, commitTimestamp]: offsets as strings, since JSON has no int64. */
type OffsetJson = [string, number, string, number];

interface SnapshotJson {
  version: 1;
  seq: number;
  groups: Record<string, GroupRecord>;
  offsets: Record<string, Record<string, Record<string, OffsetJson>>>;
}

interface Pending {
  seq: number;
  line: string;
  change: StoreChange;
  done: (err?: Error) => void;
}

export interface OffsetStoreOptions {
  /** null keeps everything in memory (tests, throwaway brokers). */
  readonly dir: string | null;
  /** Compact the journal into the snapshot once it passes this size. */
  readonly compactBytes?: number;
}

export class OffsetStore {
  readonly groups = new Map<string, GroupRecord>();
  readonly offsets = new Map<string, Offsets>();
  private journal: FileHandle | null = null;
  private journalBytes = 0;
  /** Last sequence number handed out, and the last one applied (what a snapshot covers). */
  private seq = 0;
  private appliedSeq = 0;
  private closing = false;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly compactBytes: number;

  constructor(private readonly opts: OffsetStoreOptions) {
    this.compactBytes = opts.compactBytes ?? 8 * 1024 * 1024;
  }

  private get snapshotPath(): string {
    return join(this.opts.dir as string, 'snapshot.json');
  }

  private get journalPath(): string {
    return join(this.opts.dir as string, 'journal.log');
  }

  /** Reads snapshot and journal, then compacts them, so the journal starts empty. */
  async load(): Promise<void> {
    if (this.opts.dir === null) return;
    await mkdir(this.opts.dir, { recursive: true });
    const snap = await readOptional(this.snapshotPath);
    if (snap !== null) this.applySnapshot(JSON.parse(snap) as SnapshotJson);
    const text = (await readOptional(this.journalPath)) ?? '';
    let at = 0;
    for (;;) {
      const nl = text.indexOf('\n', at);
      if (nl < 0) break; // no newline: a torn last line, never acknowledged
      const entry = parseLine(text.slice(at, nl));
      if (entry === null) break;
      at = nl + 1;
      if (entry.seq <= this.appliedSeq) continue;
      this.appliedSeq = entry.seq;
      this.apply(entry.change);
    }
    this.seq = this.appliedSeq;
    this.journal = await open(this.journalPath, 'a');
    await this.compact();
  }

  /** Applies a change once it is durable. In memory-only mode that is at once. */
  write(change: StoreChange): Promise<void> {
    if (this.opts.dir === null) {
      this.apply(change);
      return Promise.resolve();
    }
    if (this.journal === null || this.closing) return Promise.reject(new Error('group store is not open'));
    return new Promise<void>((resolve, reject) => {
      const seq = ++this.seq;
      const line = `${JSON.stringify({ seq, change: toJson(change) })}\n`;
      this.queue.push({ seq, line, change, done: (err) => (err ? reject(err) : resolve()) });
      if (this.flushing === null) this.flushing = this.flushLoop();
    });
  }

  /** One write and one fsync for everything queued, repeated until the queue is empty. */
  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        const text = batch.map((p) => p.line).join('');
        try {
          const fh = this.journal as FileHandle;
          await fh.write(text);
          await fh.sync();
          this.journalBytes += Buffer.byteLength(text);
        } catch (err) {
          // Cut off whatever part of the batch reached the file, so later lines do not follow a
          // torn one (load stops at the first bad line).
          await (this.journal as FileHandle).truncate(this.journalBytes).catch(() => undefined);
          for (const p of batch) p.done(err as Error);
          continue;
        }
        for (const p of batch) {
          this.apply(p.change);
          this.appliedSeq = p.seq;
          p.done();
        }
        if (this.journalBytes >= this.compactBytes) await this.compact().catch(() => undefined);
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Writes the snapshot atomically, then empties the journal. */
  private async compact(): Promise<void> {
    const dir = this.opts.dir as string;
    const tmp = join(dir, 'snapshot.json.tmp');
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(this.snapshot()), 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.snapshotPath);
    await syncDir(dir);
    if (this.journal) {
      await this.journal.truncate(0);
      await this.journal.sync();
    }
    this.journalBytes = 0;
  }

  async close(): Promise<void> {
    if (this.journal === null) return;
    this.closing = true;
    while (this.flushing) await this.flushing;
    await this.compact();
    await this.journal.close();
    this.journal = null;
  }

  private apply(c: StoreChange): void {
    switch (c.op) {
      case 'commit': {
        let byTopic = this.offsets.get(c.group);
        if (!byTopic) this.offsets.set(c.group, (byTopic = new Map()));
        for (const o of c.offsets) {
          let parts = byTopic.get(o.topic);
          if (!parts) byTopic.set(o.topic, (parts = new Map()));
          parts.set(o.partition, o.value);
        }
        if (!this.groups.has(c.group)) this.groups.set(c.group, { protocolType: '', generationId: 0 });
        return;
      }
      case 'delete-offsets': {
        const byTopic = this.offsets.get(c.group);
        for (const p of c.partitions) {
          const parts = byTopic?.get(p.topic);
          parts?.delete(p.partition);
          if (parts?.size === 0) byTopic?.delete(p.topic);
        }
        return;
      }
      case 'delete-topics':
        for (const byTopic of this.offsets.values()) for (const t of c.topics) byTopic.delete(t);
        return;
      case 'group':
        this.groups.set(c.group, c.record);
        return;
      case 'delete-group':
        this.groups.delete(c.group);
        this.offsets.delete(c.group);
        return;
    }
  }

  private snapshot(): SnapshotJson {
    const groups: SnapshotJson['groups'] = {};
    for (const [g, r] of this.groups) groups[g] = r;
    const offsets: SnapshotJson['offsets'] = {};
    for (const [g, byTopic] of this.offsets) {
      const topics: Record<string, Record<string, OffsetJson>> = {};
      for (const [t, parts] of byTopic) {
        const ps: Record<string, OffsetJson> = {};
        for (const [p, v] of parts) ps[String(p)] = offsetJson(v);
        topics[t] = ps;
      }
      offsets[g] = topics;
    }
    return { version: 1, seq: this.appliedSeq, groups, offsets };
  }

  private applySnapshot(s: SnapshotJson): void {
    this.appliedSeq = s.seq;
    for (const [g, r] of Object.entries(s.groups)) this.groups.set(g, r);
    for (const [g, topics] of Object.entries(s.offsets)) {
      const byTopic: Offsets = new Map();
      for (const [t, parts] of Object.entries(topics)) {
        const m = new Map<number, CommittedOffset>();
        for (const [p, v] of Object.entries(parts)) m.set(Number(p), fromOffsetJson(v));
        byTopic.set(t, m);
      }
      this.offsets.set(g, byTopic);
    }
  }
}

function offsetJson(v: CommittedOffset): OffsetJson {
  return [v.offset.toString(), v.leaderEpoch, v.metadata, v.commitTimestamp];
}

function fromOffsetJson(v: OffsetJson): CommittedOffset {
  return { offset: BigInt(v[0]), leaderEpoch: v[1], metadata: v[2], commitTimestamp: v[3] };
}

/** Journal form of a change: committed offsets as OffsetJson tuples (bigint has no JSON form). */
function toJson(c: StoreChange): unknown {
  if (c.op !== 'commit') return c;
  return {
    ...c,
    offsets: c.offsets.map((o) => ({ topic: o.topic, partition: o.partition, value: offsetJson(o.value) })),
  };
}

function parseLine(line: string): { seq: number; change: StoreChange } | null {
  try {
    const raw = JSON.parse(line) as { seq: number; change: StoreChange & { offsets?: unknown } };
    if (typeof raw.seq !== 'number' || typeof raw.change !== 'object' || raw.change === null) return null;
    const c = raw.change;
    if (c.op === 'commit') {
      const offsets = (c.offsets as unknown as { topic: string; partition: number; value: OffsetJson }[]).map(
        (o) => ({
          topic: o.topic,
          partition: o.partition,
          value: fromOffsetJson(o.value),
        }),
      );
      return { seq: raw.seq, change: { op: 'commit', group: c.group, offsets } };
    }
    return { seq: raw.seq, change: c };
  } catch {
    return null;
  }
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** fsync of the directory makes the rename itself durable (POSIX). */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await fh.close();
  }
}
