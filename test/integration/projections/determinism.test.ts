import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { openDb } from '../../../src/lib/projections/db.js';
import { contentHash } from '../../../src/lib/projections/hash.js';
import { sourcing, sourcingLegacy } from '../../../src/lib/projections/sourcing/index.js';
import { replay } from '../../../src/lib/projections/runtime.js';
import { openSession, publishStream, referenceSourcingHash, tempDir, type Stream } from './support.js';

let session: KafkaSession;
let stream: Stream;
const tmp = tempDir();

beforeAll(async () => {
  session = await openSession();
  stream = await publishStream(session, { seed: 'determinism-1', count: 4000, with: ['terms-agreed'] });
});
afterAll(async () => {
  await session.close();
  tmp.cleanup();
});

function dbHash(path: string, def = sourcing): string {
  const db = openDb(path, { readonly: true });
  try {
    return contentHash(db, def);
  } finally {
    db.close();
  }
}

describe('sourcing projection determinism', () => {
  it('a seeded stream replayed gives exactly the tables the reference fold computes', async () => {
    const path = join(tmp.dir, 'sourcing.db');
    const r = await replay(session, sourcing, { dbPath: path, prefix: stream.prefix });
    expect(r.applied, `applied: got ${r.applied}, want ${stream.records.length}`).toBe(stream.records.length);
    expect(r.skipped).toEqual({});
    expect(r.lag).toBe(0);
    const want = referenceSourcingHash(stream.records);
    expect(dbHash(path), 'content hash of the projection vs reference fold').toBe(want);
  });

  it('replaying again from the checkpoint applies nothing and keeps the hash', async () => {
    const path = join(tmp.dir, 'sourcing.db');
    const before = dbHash(path);
    const r = await replay(session, sourcing, { dbPath: path, prefix: stream.prefix });
    expect(r.resumed).toBe(true);
    expect(r.applied, `applied on a caught-up resume: got ${r.applied}, want 0`).toBe(0);
    expect(dbHash(path)).toBe(before);
  });

  it('terms-agreed: the legacy projector skips and counts it, the current one uses it', async () => {
    const terms = stream.records.filter((r) => r.type === 'checkout.terms-agreed').length;
    expect(terms, 'the stream must contain terms-agreed events').toBeGreaterThan(0);
    const path = join(tmp.dir, 'legacy.db');
    const r = await replay(session, sourcingLegacy, { dbPath: path, prefix: stream.prefix });
    expect(r.skipped).toEqual({ 'checkout.terms-agreed': terms });
    expect(r.applied).toBe(stream.records.length - terms);
    expect(dbHash(path, sourcingLegacy)).toBe(referenceSourcingHash(stream.records, ['terms-agreed']));

    const current = openDb(join(tmp.dir, 'sourcing.db'), { readonly: true });
    const used = current
      .prepare('SELECT COUNT(*) AS n FROM orders WHERE terms_version IS NOT NULL')
      .get() as { n: number };
    current.close();
    expect(used.n, 'orders with terms recorded by the current projector').toBeGreaterThan(0);
    const legacy = openDb(path, { readonly: true });
    const none = legacy.prepare('SELECT COUNT(*) AS n FROM orders WHERE terms_version IS NOT NULL').get() as {
      n: number;
    };
    legacy.close();
    expect(none.n).toBe(0);
  });

  it('side effects of history are held back and counted, not recorded', async () => {
    const path = join(tmp.dir, 'effects.db');
    const r = await replay(session, sourcing, { dbPath: path, prefix: stream.prefix });
    const placed = stream.records.filter((x) => x.type === 'checkout.order-placed').length;
    expect(r.heldBack['kitchen-ticket'] ?? 0).toBe(placed);
    expect(r.outbox).toEqual({});
  });
});
