import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { inject } from 'vitest';
import { KafkaSession } from '../../src/lib/kafka/client.js';

export const brokers = (): string => inject('brokers');
export const target = (): 'embedded' | 'kafka' => inject('target');

/** Unique names so test files can share one broker. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export function kafka(clientId = 'eb-test'): Kafka {
  return new Kafka({ clientId, brokers: brokers().split(','), logLevel: logLevel.NOTHING });
}

export const javaPartitioner = Partitioners.DefaultPartitioner;

/** Our own client (KafkaSession) on the test brokers. */
export function openSession(clientId = 'eb-test'): Promise<KafkaSession> {
  const list = brokers().split(',');
  return KafkaSession.open(
    { source: 'flag', brokers: list, clientId, describe: list.join(',') },
    { connectTimeoutMs: 10_000 },
  );
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a spawned CLI gets: the test brokers, no colour, no config file; then `extra`. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // vitest sets NODE_ENV=test, which makes oclif print development warnings.
    NODE_ENV: undefined,
    KAFKA_BROKERS: brokers(),
    NO_COLOR: '1',
    EVENTBENCH_CONFIG: '/nonexistent/eventbench.json',
    ...extra,
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns the real bin/run.js against the test broker. */
export function runCli(
  args: string[],
  opts: { input?: string | Buffer; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'run.js'), ...args], {
      env: cliEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
