import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GeneratedRecord, generateRecords } from '../events/index.js';
import type { KafkaSession } from '../kafka/client.js';
import { openDb } from './db.js';
import { notification } from './notification/index.js';
import { interrupted, ScratchTopics, sendRecords } from './publish-data.js';
import { replay } from './runtime.js';
import { sourcing, sourcingLegacy } from './sourcing/index.js';
import { DUPLICATED_BYTES_SQL, stateTransfer } from './state-transfer/index.js';
import type { PatternName, ProjectionDef } from './types.js';

export interface PatternRow {
  pattern: PatternName;
  projection: string;
  /** Records it read. */
  events: number;
  /** Key, value and header bytes of those records. */
  bytesOnWire: number;
  callbacks: number;
  /** Bytes the callbacks fetched from the source (data chatter). */
  callbackBytes: number;
  /** Bytes of source data the projection keeps a copy of. */
  duplicatedBytes: number;
  /** Does the projection still get its state with the source service down? */
  availableWhenSourceDown: boolean;
  sourceDownNote: string;
  rebuildAtTime: boolean;
  rebuildNote: string;
  skipped: Record<string, number>;
}

export interface CompareResult {
  prefix: string;
  seed: string;
  count: number;
  rows: PatternRow[];
  /** Topics the comparison created and deleted again. */
  topicsDeleted: string[];
  /** Topics it created and left on the broker (--keep-topics, or a failed delete). */
  topicsLeft: string[];
}

export interface CompareOptions {
  prefix: string;
  seed: string;
  count: number;
  onPhase?: (t: string) => void;
  /** Leave the topics it created on the broker (default: delete them at the end). */
  keepTopics?: boolean;
  /** Stops the comparison early; its topics are still deleted (unless kept) and it throws. */
  signal?: AbortSignal;
  /** Told what could not be cleaned up. */
  onWarning?: (text: string) => void;
}

const DOMAINS = ['identity', 'checkout', 'delivery'];

const REBUILD: Record<PatternName, [boolean, string]> = {
  'event-sourcing': [true, 'yes: every change is an event; replay --until T'],
  'state-transfer': [
    true,
    'yes while the log is kept whole: each event is a snapshot (not after compaction)',
  ],
  notification: [false, "no: details come from the source's current state, not the state at T"],
};

function wireBytes(records: readonly GeneratedRecord[]): number {
  let n = 0;
  for (const r of records) {
    n += r.key.length + r.value.length;
    for (const [k, v] of Object.entries(r.headers)) n += k.length + v.length;
  }
  return n;
}

/**
 * Publishes the same seeded journeys (registration, checkout, delivery) in all three shapes,
 * replays each pattern's projection into a scratch database, and measures what each costs and
 * what it can do. The notification projection is replayed a second time with its source down.
 */
export async function comparePatterns(session: KafkaSession, o: CompareOptions): Promise<CompareResult> {
  const dir = mkdtempSync(join(tmpdir(), 'eb-compare-'));
  const scratch = new ScratchTopics(session);
  const keep = o.keepTopics ?? false;
  try {
    const rows = await compareIn(session, o, dir, scratch);
    const cleaned = await scratch.finish(keep, o.onWarning);
    return {
      prefix: o.prefix,
      seed: o.seed,
      count: o.count,
      rows,
      topicsDeleted: cleaned.deleted,
      topicsLeft: cleaned.left,
    };
  } catch (err) {
    if (o.signal?.aborted) throw interrupted('patterns compare', keep);
    throw err;
  } finally {
    await scratch.finish(keep, o.onWarning);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function compareIn(
  session: KafkaSession,
  o: CompareOptions,
  dir: string,
  scratch: ScratchTopics,
): Promise<PatternRow[]> {
  const startTime = Date.now() - 3 * 3600_000;
  const bytes = new Map<string, number>();
  const check = () => {
    if (o.signal?.aborted) throw interrupted('patterns compare', o.keepTopics ?? false);
  };
  for (const shape of ['sourcing', 'state', 'notification']) {
    check();
    o.onPhase?.(`publishing ${o.count} events as ${shape}`);
    const records = [
      ...generateRecords({
        domains: DOMAINS,
        seed: o.seed,
        count: o.count,
        shape,
        startTime,
        ratePerSec: 10,
        with: ['terms-agreed'],
      }),
    ].map((r) => ({ ...r, topic: o.prefix + r.topic.slice(r.topic.indexOf('.')) }));
    await scratch.ensure(o.prefix, DOMAINS, shape);
    await sendRecords(session, records);
    for (const r of records) {
      const domain = r.topic.split('.').at(-2) ?? '';
      const k = `${domain}.${shape}`;
      bytes.set(k, (bytes.get(k) ?? 0) + wireBytes([r]));
    }
  }
  const rows: PatternRow[] = [];
  for (const def of [sourcing, sourcingLegacy, stateTransfer, notification] as ProjectionDef[]) {
    check();
    o.onPhase?.(`replaying ${def.name}`);
    const path = join(dir, `${def.name}.db`);
    const r = await replay(session, def, { dbPath: path, prefix: o.prefix, signal: o.signal });
    let available = true;
    let note = 'yes: 0 callbacks';
    if (def.needsSource) {
      const down = await replay(session, def, {
        dbPath: join(dir, 'down.db'),
        prefix: o.prefix,
        sourceDown: true,
        signal: o.signal,
      });
      available = down.callbackMisses === 0;
      note = `no: ${down.callbackMisses} of ${down.callbacks} notifications stuck without the source`;
    }
    const db = openDb(path, { readonly: true });
    const duplicated =
      def.pattern === 'state-transfer'
        ? (db.prepare(DUPLICATED_BYTES_SQL).get() as { bytes: number }).bytes
        : 0;
    db.close();
    const [rebuildAtTime, rebuildNote] = REBUILD[def.pattern];
    rows.push({
      pattern: def.pattern,
      projection: def.name,
      events: r.applied + Object.values(r.skipped).reduce((a, b) => a + b, 0),
      bytesOnWire: def.domains.reduce((s, d) => s + (bytes.get(`${d}.${def.shape}`) ?? 0), 0),
      callbacks: r.callbacks,
      callbackBytes: r.totals['callback-bytes'] ?? 0,
      duplicatedBytes: duplicated,
      availableWhenSourceDown: available,
      sourceDownNote: note,
      rebuildAtTime,
      rebuildNote,
      skipped: r.skipped,
    });
  }
  check();
  return rows;
}
