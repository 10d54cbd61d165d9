import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateRecords } from '../../../src/lib/events/index.js';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { loadCounters } from '../../../src/lib/projections/checkpoint.js';
import { openDb } from '../../../src/lib/projections/db.js';
import { contentHash } from '../../../src/lib/projections/hash.js';
import { ensureTopics, sendRecords } from '../../../src/lib/projections/publish-data.js';
import { replay } from '../../../src/lib/projections/runtime.js';
import { sourcing } from '../../../src/lib/projections/sourcing/index.js';
import { runCli, uniqueName } from '../../helpers/kafka.js';
import { openSession, referenceSourcingHash, START, tempDir } from './support.js';

/*
 * The CLI (compiled) commits on the writer thread while the next transaction is folded; tests
 * that call replay() from the TypeScript sources take the single-thread path. Both must build
 * the same tables, also when duplicates and reordered events cross transaction boundaries and
 * a run resumes on a database that already has rows.
 */
let session: KafkaSession;
const tmp = tempDir();
const prefix = uniqueName('wt').replace('-', '');
let records: ReturnType<typeof generateRecords> extends Iterable<infer R> ? R[] : never;

beforeAll(async () => {
  session = await openSession();
  records = [
    ...generateRecords({
      domains: ['checkout', 'delivery'],
      seed: 'writer-thread',
      count: 8000,
      shape: 'sourcing',
      startTime: START,
      ratePerSec: 200,
      faults: { duplicates: 0.05, outOfOrder: 0.05 },
    }),
  ].map((r) => ({ ...r, topic: prefix + r.topic.slice(2) }));
  await ensureTopics(session, prefix, ['checkout', 'delivery'], 'sourcing');
  await sendRecords(session, records);
});
afterAll(async () => {
  await session.close();
  tmp.cleanup();
});

function hashOf(path: string): { hash: string; applied: number } {
  const db = openDb(path, { readonly: true });
  try {
    return { hash: contentHash(db, sourcing), applied: loadCounters(db).applied ?? 0 };
  } finally {
    db.close();
  }
}

describe('replay on the writer thread', () => {
  it('builds exactly the reference tables, in small transactions, from scratch and resumed', async () => {
    const want = referenceSourcingHash(records);
    const half = Math.floor(records.length / 2);
    const dbPath = join(tmp.dir, 'cli.db');
    // First half (a fresh database), then the rest (a database with rows: reads go to SQLite).
    for (const until of [`+${half}`, 'end']) {
      const r = await runCli(
        [
          'replay',
          'sourcing',
          '--db',
          dbPath,
          '--prefix',
          prefix,
          '--until',
          until,
          '--batch',
          '97',
          '--json',
        ],
        { timeoutMs: 60_000 },
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const cli = hashOf(dbPath);
    expect(cli.hash, 'CLI (writer thread) vs reference fold').toBe(want);

    const direct = join(tmp.dir, 'direct.db');
    await replay(session, sourcing, { dbPath: direct, prefix, maxTxnRecords: 97 });
    const lib = hashOf(direct);
    expect(lib.hash, 'single thread vs reference fold').toBe(want);
    expect(cli.applied, 'applied counters agree').toBe(lib.applied);
  });
});
