import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rebuildAll } from '../../../src/lib/events/index.js';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { openDb } from '../../../src/lib/projections/db.js';
import { contentHash } from '../../../src/lib/projections/hash.js';
import { diffAt } from '../../../src/lib/projections/point-in-time.js';
import { replay } from '../../../src/lib/projections/runtime.js';
import { sourcing } from '../../../src/lib/projections/sourcing/index.js';
import { openSession, publishStream, referenceSourcingHash, tempDir, type Stream } from './support.js';

let session: KafkaSession;
let stream: Stream;
const tmp = tempDir();

beforeAll(async () => {
  session = await openSession();
  stream = await publishStream(session, { seed: 'pit-1', count: 3000 });
});
afterAll(async () => {
  await session.close();
  tmp.cleanup();
});

const timeAt = (fraction: number) => stream.records[Math.floor(stream.records.length * fraction)]!.timestamp;
const before = (t: number) => stream.records.filter((r) => r.timestamp < t);

describe('point in time (--until T)', () => {
  it.each([0.2, 0.55, 0.9])(
    'replaying until the time at %s of the stream gives the reference state of the events before it',
    async (f) => {
      const t = timeAt(f);
      const path = join(tmp.dir, `at-${f}.db`);
      const r = await replay(session, sourcing, {
        dbPath: path,
        prefix: stream.prefix,
        until: { kind: 'time', ms: t },
      });
      const want = before(t);
      expect(
        r.applied,
        `events before ${new Date(t).toISOString()}: got ${r.applied}, want ${want.length}`,
      ).toBe(want.length);
      const db = openDb(path, { readonly: true });
      const got = contentHash(db, sourcing);
      db.close();
      expect(got).toBe(referenceSourcingHash(want));
    },
  );

  it('refuses to move a projection back in time without --reset (exit 2)', async () => {
    const path = join(tmp.dir, 'at-0.9.db');
    const err = await replay(session, sourcing, {
      dbPath: path,
      prefix: stream.prefix,
      until: { kind: 'time', ms: timeAt(0.2) },
    }).catch((e: unknown) => e as { exitCode: number; message: string });
    expect((err as { exitCode: number }).exitCode).toBe(2);
  });

  it('projection diff --at T1 --at T2 reports the orders added and changed between the reference states', async () => {
    const t1 = timeAt(0.4);
    const t2 = timeAt(0.6);
    const r = await diffAt(
      session,
      sourcing,
      [
        { text: 'T1', pos: { kind: 'time', ms: t1 } },
        { text: 'T2', pos: { kind: 'time', ms: t2 } },
      ],
      stream.prefix,
    );
    const a = rebuildAll(before(t1));
    const b = rebuildAll(before(t2));
    const orders = (m: Map<string, unknown>) => [...m.keys()].filter((k) => k.startsWith('order-'));
    const added = orders(b).filter((k) => !a.has(k)).length;
    const changed = orders(b).filter(
      (k) => a.has(k) && JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k)),
    ).length;
    expect(r.tables.find((t) => t.table === 'orders')).toEqual({
      table: 'orders',
      added,
      removed: 0,
      changed,
    });
    expect(added + changed, 'the window must contain changes').toBeGreaterThan(0);
  });
});
