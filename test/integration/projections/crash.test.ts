import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { loadCounters } from '../../../src/lib/projections/checkpoint.js';
import { openDb } from '../../../src/lib/projections/db.js';
import { contentHash } from '../../../src/lib/projections/hash.js';
import { replay } from '../../../src/lib/projections/runtime.js';
import { sourcing } from '../../../src/lib/projections/sourcing/index.js';
import { brokers } from '../../helpers/kafka.js';
import { openSession, publishStream, referenceSourcingHash, tempDir, type Stream } from './support.js';

let session: KafkaSession;
let stream: Stream;
const tmp = tempDir();

beforeAll(async () => {
  session = await openSession();
  stream = await publishStream(session, { seed: 'crash-1', count: 6000 });
});
afterAll(async () => {
  await session.close();
  tmp.cleanup();
});

function applied(path: string): number {
  if (!existsSync(path)) return 0;
  try {
    const db = openDb(path, { readonly: true });
    try {
      return loadCounters(db).applied ?? 0;
    } finally {
      db.close();
    }
  } catch {
    return 0; // the file exists but its schema is not committed yet
  }
}

/** Starts `replay` and SIGKILLs it once the database holds at least `killAt` applied events. */
function runAndKill(path: string, killAt: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(process.cwd(), 'bin', 'run.js'),
        'replay',
        'sourcing',
        '--db',
        path,
        '--prefix',
        stream.prefix,
        '--batch',
        '40',
      ],
      {
        env: { ...process.env, KAFKA_BROKERS: brokers(), EVENTBENCH_CONFIG: '/nonexistent/eb.json' },
        stdio: 'ignore',
      },
    );
    let killed = false;
    const timer = setInterval(() => {
      if (applied(path) >= killAt) {
        killed = child.kill('SIGKILL');
        clearInterval(timer);
      }
    }, 15);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ killed, code });
    });
  });
}

describe('crash and resume (kill -9)', () => {
  it('killed several times at random points, the resumed replay equals an uninterrupted one', async () => {
    const path = join(tmp.dir, 'crashed.db');
    const total = stream.records.length;
    let kills = 0;
    let at = 0;
    for (let i = 0; i < 4; i++) {
      at += 400 + Math.floor(Math.random() * 900);
      if (at >= total - 500) break;
      const r = await runAndKill(path, at);
      if (r.killed) kills++;
      const now = applied(path);
      expect(
        now,
        `after kill ${i + 1}: applied ${now}, never more than the stream's ${total}`,
      ).toBeLessThanOrEqual(total);
    }
    expect(kills, 'the replay must have been killed midway at least twice').toBeGreaterThanOrEqual(2);
    const final = await runAndKill(path, Number.POSITIVE_INFINITY);
    expect(final.code, 'the last, uninterrupted resume exits 0').toBe(0);

    const db = openDb(path, { readonly: true });
    const counters = loadCounters(db);
    const hash = contentHash(db, sourcing);
    // One row per entity, its applied ce_ids separated by newlines.
    const seen = (
      db
        .prepare(
          "SELECT SUM(length(ce_ids) - length(replace(ce_ids, char(10), '')) + 1) AS n FROM eb_seen_events",
        )
        .get() as { n: number }
    ).n;
    db.close();
    // Every event applied exactly once: the applied counter moves in the same transaction as state.
    expect(counters.applied, `applied over all runs: got ${counters.applied}, want ${total}`).toBe(total);
    expect(seen).toBe(total);

    const clean = join(tmp.dir, 'clean.db');
    await replay(session, sourcing, { dbPath: clean, prefix: stream.prefix });
    const cdb = openDb(clean, { readonly: true });
    const cleanHash = contentHash(cdb, sourcing);
    cdb.close();
    expect(hash, 'crashed-and-resumed vs uninterrupted').toBe(cleanHash);
    expect(hash, 'crashed-and-resumed vs reference fold').toBe(referenceSourcingHash(stream.records));
  });
});
