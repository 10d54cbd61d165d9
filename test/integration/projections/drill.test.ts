import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { outageDrill } from '../../../src/lib/projections/drill.js';
import { sourcing } from '../../../src/lib/projections/sourcing/index.js';
import { stateTransfer } from '../../../src/lib/projections/state-transfer/index.js';
import { uniqueName } from '../../helpers/kafka.js';
import { openSession } from './support.js';

let session: KafkaSession;
beforeAll(async () => {
  session = await openSession();
});
afterAll(async () => {
  await session.close();
});

describe('outage drill', () => {
  it.each([sourcing, stateTransfer])(
    '$name: lag grows while down, it catches up, final state equals an uninterrupted replay',
    async (def) => {
      const lags: number[] = [];
      const r = await outageDrill(session, def, {
        prefix: uniqueName('drill').replace('-', ''),
        outageMs: 1500,
        warmMs: 700,
        ratePerSec: 300,
        seed: 'drill-test',
        onLag: (lag) => lags.push(lag),
      });
      expect(r.peakLag, `peak lag during the outage: got ${r.peakLag}, want > 0`).toBeGreaterThan(0);
      expect(Math.max(...lags)).toBe(r.peakLag);
      expect(r.applied, 'everything published was applied').toBeGreaterThan(0);
      expect(r.hash, 'final state vs uninterrupted replay').toBe(r.referenceHash);
      expect(r.equal).toBe(true);
    },
  );
});
