// Starts the real embedded broker in this process on a free port with a fresh temp data dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker } from '../../../../src/lib/broker/main.js';

export interface Embedded {
  port: number;
  brokers: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startEmbedded(): Promise<Embedded> {
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
