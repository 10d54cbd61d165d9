import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateRecords, rebuildAll } from '../../../src/lib/events/index.js';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { openDb } from '../../../src/lib/projections/db.js';
import { notification } from '../../../src/lib/projections/notification/index.js';
import { replay } from '../../../src/lib/projections/runtime.js';
import { sourcing } from '../../../src/lib/projections/sourcing/index.js';
import { stateTransfer } from '../../../src/lib/projections/state-transfer/index.js';
import { uniqueName } from '../../helpers/kafka.js';
import { openSession, publishStream, START, tempDir } from './support.js';

let session: KafkaSession;
let prefix: string;
const tmp = tempDir();
const domains = ['identity', 'checkout', 'delivery'];
const seed = 'patterns-1';
const count = 3000;
const countOf = (type: string) =>
  [...generateRecords({ domains, seed, count, startTime: START, ratePerSec: 200 })].filter(
    (r) => r.type === type,
  ).length;

beforeAll(async () => {
  session = await openSession();
  prefix = uniqueName('pp').replace('-', '');
  for (const shape of ['sourcing', 'state', 'notification'])
    await publishStream(session, { seed, count, shape, domains, prefix });
});
afterAll(async () => {
  await session.close();
  tmp.cleanup();
});

function rows<T>(path: string, sql: string): T[] {
  const db = openDb(path, { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe('state transfer', () => {
  it('holds, for every entity, exactly the state the reference fold of the sourcing stream gives', async () => {
    const path = join(tmp.dir, 'state.db');
    const r = await replay(session, stateTransfer, { dbPath: path, prefix });
    expect(r.applied).toBe(count);
    expect(r.callbacks, 'state transfer never calls back').toBe(0);
    const want = rebuildAll(generateRecords({ domains, seed, count, startTime: START, ratePerSec: 200 }));
    const docs = [
      ...rows<{ id: string; doc: string }>(path, 'SELECT user_id AS id, doc FROM customers'),
      ...rows<{ id: string; doc: string }>(path, 'SELECT order_id AS id, doc FROM orders'),
      ...rows<{ id: string; doc: string }>(path, 'SELECT delivery_id AS id, doc FROM deliveries'),
    ];
    expect(docs.length, `entities: got ${docs.length}, want ${want.size}`).toBe(want.size);
    for (const d of docs) expect(JSON.parse(d.doc), d.id).toEqual(want.get(d.id));
  });
});

describe('notification', () => {
  it('calls the source back for every notification it acts on and holds back the emails while replaying', async () => {
    const path = join(tmp.dir, 'notification.db');
    const r = await replay(session, notification, { dbPath: path, prefix });
    const registered = countOf('identity.user-registered');
    const placed = countOf('checkout.order-placed');
    const delivered = countOf('delivery.delivered');
    expect(r.applied).toBe(count);
    expect(r.callbacks, 'one callback per notification acted on').toBe(registered + placed + delivered);
    expect(r.callbackMisses).toBe(0);
    expect(r.heldBack).toEqual({
      'welcome-email': registered,
      'receipt-email': placed,
      ...(delivered ? { 'rate-your-pizza-email': delivered } : {}),
    });
    expect(r.outbox).toEqual({});
    const [w] = rows<{ n: number }>(path, 'SELECT COUNT(*) AS n FROM welcome_emails WHERE email IS NOT NULL');
    expect(w?.n).toBe(registered);
  });

  it('with the source down it cannot act: every notification waits in pending_lookups', async () => {
    const path = join(tmp.dir, 'notification-down.db');
    const r = await replay(session, notification, { dbPath: path, prefix, sourceDown: true });
    expect(r.callbackMisses).toBe(r.callbacks);
    expect(r.heldBack).toEqual({});
    const [p] = rows<{ n: number }>(path, 'SELECT COUNT(*) AS n FROM pending_lookups');
    expect(p?.n).toBe(r.callbacks);
  });
});

describe('replaying versus live', () => {
  it('side effects of history are held back; those of events arriving while following go to the outbox', async () => {
    const path = join(tmp.dir, 'live.db');
    const abort = new AbortController();
    let caughtUp!: () => void;
    const ready = new Promise<void>((r) => (caughtUp = r));
    const more = [
      ...generateRecords({
        domains: ['checkout'],
        seed: 'live-2',
        count: 400,
        startTime: START + 3600_000,
        ratePerSec: 200,
      }),
    ].map((x) => ({ ...x, topic: prefix + x.topic.slice(2) }));
    const liveTickets = more.filter((x) => x.type === 'checkout.order-placed').length;
    const history = countOf('checkout.order-placed');
    const running = replay(session, sourcing, {
      dbPath: path,
      prefix,
      follow: true,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.lag === 0) caughtUp();
        if (p.applied >= sourcingCount() + more.length) abort.abort();
      },
    });
    await ready;
    const { sendRecords } = await import('../../../src/lib/projections/publish-data.js');
    await sendRecords(session, more);
    const r = await running;
    expect(r.stoppedBy).toBe('signal');
    expect(r.heldBack['kitchen-ticket']).toBe(history);
    expect(r.outbox['kitchen-ticket'] ?? 0).toBe(liveTickets);
    const [o] = rows<{ n: number }>(
      path,
      "SELECT COUNT(*) AS n FROM eb_outbox WHERE kind = 'kitchen-ticket'",
    );
    expect(o?.n).toBe(liveTickets);
  });
});

function sourcingCount(): number {
  return [...generateRecords({ domains, seed, count, startTime: START, ratePerSec: 200 })].filter(
    (r) => r.type.startsWith('checkout.') || r.type.startsWith('delivery.'),
  ).length;
}
