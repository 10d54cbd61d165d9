import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';

/**
 * One broker for the whole run, chosen by EVENTBENCH_TEST_TARGET:
 *   embedded (default): our broker, started here as its own process on a free port;
 *   kafka: the Apache Kafka that scripts/kafka.sh started (EVENTBENCH_TEST_KAFKA, default 127.0.0.1:19092).
 * Integration and e2e suites read the address with inject('brokers') and run unchanged on both.
 */
let child: ChildProcess | undefined;
let dataDir: string | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    brokers: string;
    target: 'embedded' | 'kafka';
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const target = (process.env.EVENTBENCH_TEST_TARGET ?? 'embedded') as 'embedded' | 'kafka';
  if (target === 'kafka') {
    project.provide('brokers', process.env.EVENTBENCH_TEST_KAFKA ?? '127.0.0.1:19092');
    project.provide('target', 'kafka');
    return async () => {};
  }
  dataDir = mkdtempSync(join(tmpdir(), 'eb-test-broker-'));
  const entry = join(process.cwd(), 'dist', 'lib', 'broker', 'bin.js');
  child = spawn(process.execPath, [entry, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded broker did not start within 15 s')), 15_000);
    child!.once('exit', (code) => reject(new Error(`embedded broker exited with ${code}`)));
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      try {
        const ev = JSON.parse(line) as { event?: string; port?: number };
        if (ev.event === 'listening' && ev.port) {
          clearTimeout(timer);
          resolve(ev.port);
        }
      } catch {
        /* not our JSON line */
      }
    });
  });
  project.provide('brokers', `127.0.0.1:${port}`);
  project.provide('target', 'embedded');
  return async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
