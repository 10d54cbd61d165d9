import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { createTopic } from '../../../src/lib/kafka/topics.js';
import { comparePatterns } from '../../../src/lib/projections/compare.js';
import { outageDrill, type DrillOptions } from '../../../src/lib/projections/drill.js';
import { sourcing } from '../../../src/lib/projections/sourcing/index.js';
import { kafka, uniqueName } from '../../helpers/kafka.js';
import { expectNoTopics, openSession, topicsUnder } from './support.js';

let session: KafkaSession;
let admin: Admin;
beforeAll(async () => {
  session = await openSession();
  admin = kafka('eb-cleanup-test').admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
  await session.close();
});

const prefixFor = (what: string) => uniqueName(what).replace('-', '');

const drillOpts = (prefix: string, extra: Partial<DrillOptions> = {}): DrillOptions => ({
  prefix,
  outageMs: 400,
  warmMs: 300,
  ratePerSec: 200,
  seed: 'cleanup',
  ...extra,
});

describe('drill outage cleans up its topics', () => {
  it('after a run that passed', async () => {
    const prefix = prefixFor('dclean');
    const r = await outageDrill(session, sourcing, drillOpts(prefix));
    expect(r.equal).toBe(true);
    expect([...r.topicsDeleted].sort()).toEqual([
      `${prefix}.checkout.sourcing`,
      `${prefix}.delivery.sourcing`,
    ]);
    expect(r.topicsLeft).toEqual([]);
    await expectNoTopics(admin, prefix);
  });

  it('keeps them with keepTopics', async () => {
    const prefix = prefixFor('dkeep');
    const r = await outageDrill(session, sourcing, drillOpts(prefix, { keepTopics: true }));
    const want = [`${prefix}.checkout.sourcing`, `${prefix}.delivery.sourcing`];
    expect([...r.topicsLeft].sort()).toEqual(want);
    expect(r.topicsDeleted).toEqual([]);
    expect(await topicsUnder(admin, prefix)).toEqual(want);
    await admin.deleteTopics({ topics: want });
  });

  it('when a phase fails', async () => {
    const prefix = prefixFor('dfail');
    const run = outageDrill(
      session,
      sourcing,
      drillOpts(prefix, {
        onPhase: (t) => {
          if (t.startsWith('resuming')) throw new Error('boom while resuming');
        },
      }),
    );
    await expect(run).rejects.toThrow('boom while resuming');
    await expectNoTopics(admin, prefix);
  });

  it('when aborted during the outage', async () => {
    const prefix = prefixFor('dabort');
    const abort = new AbortController();
    const run = outageDrill(
      session,
      sourcing,
      drillOpts(prefix, { outageMs: 30_000, signal: abort.signal, onLag: () => abort.abort() }),
    );
    await expect(run).rejects.toThrow('drill outage interrupted');
    await expectNoTopics(admin, prefix);
  });
});

describe('patterns compare cleans up its topics', () => {
  const opts = (prefix: string) => ({ prefix, seed: 'cleanup', count: 150 });

  it('after a run, and only the topics it created', async () => {
    const prefix = prefixFor('cclean');
    const mine = `${prefix}.checkout.sourcing`;
    await createTopic(session, {
      name: mine,
      partitions: 1,
      replicationFactor: 1,
      configs: {},
      ifNotExists: false,
    });
    const r = await comparePatterns(session, opts(prefix));
    expect(r.rows.length).toBe(4);
    expect(r.topicsDeleted.length, `deleted ${r.topicsDeleted.join(', ')}`).toBe(8);
    expect(r.topicsDeleted).not.toContain(mine);
    expect(r.topicsLeft).toEqual([]);
    expect(await topicsUnder(admin, prefix), 'the topic that was there before stays').toContain(mine);
    await admin.deleteTopics({ topics: [mine] });
    await expectNoTopics(admin, prefix);
  });

  it('keeps them with keepTopics', async () => {
    const prefix = prefixFor('ckeep');
    const r = await comparePatterns(session, { ...opts(prefix), keepTopics: true });
    expect(r.topicsLeft.length).toBe(9);
    expect(await topicsUnder(admin, prefix)).toEqual([...r.topicsLeft].sort());
    await admin.deleteTopics({ topics: r.topicsLeft });
  });

  it('when a phase fails', async () => {
    const prefix = prefixFor('cfail');
    const run = comparePatterns(session, {
      ...opts(prefix),
      onPhase: (t) => {
        if (t === 'replaying notification') throw new Error('boom while replaying');
      },
    });
    await expect(run).rejects.toThrow('boom while replaying');
    await expectNoTopics(admin, prefix);
  });

  it('when aborted', async () => {
    const prefix = prefixFor('cabort');
    const abort = new AbortController();
    const run = comparePatterns(session, {
      ...opts(prefix),
      signal: abort.signal,
      onPhase: (t) => t.startsWith('replaying') && abort.abort(),
    });
    await expect(run).rejects.toThrow('patterns compare interrupted');
    await expectNoTopics(admin, prefix);
  });
});
