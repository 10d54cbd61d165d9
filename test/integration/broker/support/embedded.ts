// The broker a broker-level integration test talks to: normally our embedded broker, started in
// this process on a free port with a fresh temp data dir; when the run targets Apache Kafka
// (EVENTBENCH_TEST_TARGET=kafka, see test/helpers/global-setup.ts) that Kafka instead, so the
// same assertions check that we behave as Kafka does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startBroker } from '../../../../src/lib/broker/main.js';

export interface Embedded {
  port: number;
  brokers: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startEmbedded(): Promise<Embedded> {
  if (inject('target') === 'kafka') {
    const brokers = inject('brokers');
    const port = Number(brokers.split(',')[0]?.split(':')[1]);
    return { port, brokers, dataDir: '', close: async () => undefined };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'eb-broker-it-'));
  const b = await startBroker({ port: 0, dataDir });
  return {
    port: b.port,
    brokers: `127.0.0.1:${b.port}`,
    dataDir,
    async close() {
      await b.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
