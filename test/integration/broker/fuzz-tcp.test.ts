// Mutated and random frames over real TCP against the broker running as its own process
// (dist/lib/broker/bin.js): afterwards the process is still alive and a normal produce and fetch
// work. The decoder-level fuzz with 100,000 frames is test/unit/broker/protocol/fuzz.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawFetcher } from './support/kafkajs-raw.js';

const bin = join(process.cwd(), 'dist', 'lib', 'broker', 'bin.js');
let child: ChildProcess;
let port = 0;
let dataDir: string;
let exited: number | null | undefined;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  dataDir = await mkdtemp(join(tmpdir(), 'eb-fuzz-tcp-'));
  child = spawn(process.execPath, [bin, '--port', '0', '--data-dir', dataDir, '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.on('exit', (code) => (exited = code));
  port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const ev = JSON.parse(line) as { event?: string; port?: number };
      if (ev.event === 'listening' && ev.port) resolve(ev.port);
    });
  });
});

afterAll(async () => {
  if (child && exited === undefined) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await rm(dataDir, { recursive: true, force: true });
});

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seeds: Buffer[] = ['kafkajs-2.2.4.json', 'kcat.json', 'java.json'].flatMap((name) =>
  (
    JSON.parse(readFileSync(new URL(`../../unit/broker/fixtures/${name}`, import.meta.url), 'utf8')) as {
      request: string;
    }[]
  ).map((f) => Buffer.from(f.request, 'hex')),
);

/** A framed, mutated seed; sometimes with a lying size prefix. */
function fuzzFrame(rnd: () => number): Buffer {
  const body = Buffer.from(seeds[Math.floor(rnd() * seeds.length)] as Buffer);
  for (let i = 0; i < Math.floor(rnd() * 4); i++)
    body[Math.floor(rnd() * body.length)] = Math.floor(rnd() * 256);
  const size = Buffer.alloc(4);
  const r = rnd();
  size.writeInt32BE(r < 0.05 ? -1 - Math.floor(rnd() * 1000) : r < 0.1 ? 0x7fffffff : body.length, 0);
  return Buffer.concat([size, r > 0.95 ? body.subarray(0, Math.floor(body.length / 2)) : body]);
}

function blast(frames: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    s.on('data', () => undefined);
    s.on('close', () => resolve());
    s.on('connect', () => s.end(Buffer.concat(frames)));
  });
}

it('survives 20,000 fuzzed frames and still serves kafkajs', async () => {
  const rnd = prng(7);
  for (let round = 0; round < 200; round++) {
    await Promise.all(
      Array.from({ length: 5 }, () => blast(Array.from({ length: 20 }, () => fuzzFrame(rnd)))),
    );
  }
  expect(exited, 'the broker process exited').toBeUndefined();

  const kafka = new Kafka({
    brokers: [`127.0.0.1:${port}`],
    clientId: 'after-fuzz',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'after-fuzz', numPartitions: 1 }] });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'after-fuzz', messages: [{ value: 'still here' }] });
  const fetcher = await rawFetcher(kafka);
  const [p] = await fetcher.fetch({ topic: 'after-fuzz', partitions: [{ partition: 0, offset: 0n }] });
  expect(p?.messages.map((m) => m.value?.toString())).toEqual(['still here']);
  await fetcher.close();
  await producer.disconnect();
  await admin.disconnect();
  expect(exited).toBeUndefined();
});
