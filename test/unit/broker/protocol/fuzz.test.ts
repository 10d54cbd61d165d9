// Mutated and random frames through header parsing, every codec and every handler. Decoding may
// only fail with ProtocolError (the connection then closes); a decoded request must be answered
// (errors as codes), never throw. Seeds are the real client frames of fixtures/; the PRNG is
// seeded, so a failure names a reproducible case.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerContext, Clock } from '../../../../src/lib/broker/context.js';
import { GroupCoordinator } from '../../../../src/lib/broker/groups/coordinator.js';
import { handlerFor } from '../../../../src/lib/broker/handlers/index.js';
import { CloseConnection } from '../../../../src/lib/broker/handlers/types.js';
import { openLogStore } from '../../../../src/lib/broker/log/index.js';
import type { LogStore } from '../../../../src/lib/broker/log/types.js';
import { Decoder, ProtocolError } from '../../../../src/lib/broker/protocol/decoder.js';
import { Encoder } from '../../../../src/lib/broker/protocol/encoder.js';
import { readRequestHeader } from '../../../../src/lib/broker/server/request-header.js';

const seeds: Buffer[] = ['kafkajs-2.2.4.json', 'kcat.json', 'java.json'].flatMap((name) =>
  (
    JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as { request: string }[]
  ).map((f) => Buffer.from(f.request, 'hex')),
);

/** mulberry32: small, seeded, good enough to pick mutations. */
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

const extremes = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

function mutate(seed: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(seed);
  const kind = Math.floor(rnd() * 7);
  const at = Math.floor(rnd() * Math.max(1, b.length));
  switch (kind) {
    case 0: // flip a few bytes
      for (let i = 0; i < 1 + Math.floor(rnd() * 4); i++)
        b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      return b;
    case 1: // truncate
      return b.subarray(0, at);
    case 2: // an extreme int32 somewhere (lengths, counts)
      if (at + 4 <= b.length) b.writeUInt32BE(extremes[Math.floor(rnd() * extremes.length)] as number, at);
      return b;
    case 3: // an extreme int16 somewhere (string lengths)
      if (at + 2 <= b.length)
        b.writeUInt16BE((extremes[Math.floor(rnd() * extremes.length)] as number) & 0xffff, at);
      return b;
    case 4: // another version of the same API
      b.writeInt16BE(Math.floor(rnd() * 20), 2);
      return b;
    case 5: // garbage appended or inserted
      return Buffer.concat([
        b.subarray(0, at),
        Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256))),
        b.subarray(at),
      ]);
    default: // pure random, with a plausible header
      return Buffer.concat([
        Buffer.from([0, Math.floor(rnd() * 70), 0, Math.floor(rnd() * 18), 0, 0, 0, 1, 0, 1, 0x61]),
        Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256))),
      ]);
  }
}

type Decoded = { apiKey: number; version: number; req: unknown } | 'rejected';

function decode(frame: Buffer): Decoded {
  try {
    const d = new Decoder(frame);
    const h = readRequestHeader(d);
    const handler = handlerFor(h.apiKey);
    if (!handler || h.apiVersion < handler.minVersion || h.apiVersion > handler.maxVersion) return 'rejected';
    d.taggedFields(h.apiVersion >= handler.flexibleFrom);
    return { apiKey: h.apiKey, version: h.apiVersion, req: handler.decode(d, h.apiVersion) };
  } catch (err) {
    if (err instanceof ProtocolError) return 'rejected';
    throw err;
  }
}

// Timers never fire: a long-polling fetch simply stays pending.
const stillClock: Clock = { now: () => 0, setTimeout: () => ({ cancel: () => undefined }) };

let dir: string;
let log: LogStore;
let ctx: BrokerContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eb-fuzz-'));
  log = await openLogStore({ dataDir: dir });
  for (const t of ['fx', 'kc', 'jv']) log.createTopic(t, 2, {});
  ctx = {
    log,
    groups: new GroupCoordinator({ clock: stillClock }),
    clock: stillClock,
    identity: { nodeId: 1, host: '127.0.0.1', port: 1, clusterId: 'c' },
  };
});

afterAll(async () => {
  await ctx?.groups.close();
  await log?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('fuzzed frames', () => {
  it('100,000 mutated frames: decoding fails only with ProtocolError', () => {
    const rnd = prng(1);
    let decoded = 0;
    for (let i = 0; i < 100_000; i++) {
      const frame = mutate(seeds[i % seeds.length] as Buffer, rnd);
      let r: Decoded;
      try {
        r = decode(frame);
      } catch (err) {
        throw new Error(`frame #${i} (${frame.toString('hex')}) threw ${String(err)}, want ProtocolError`);
      }
      if (r !== 'rejected') decoded++;
    }
    // Mutations must not be so destructive that nothing gets through to the codecs.
    expect(decoded, 'frames that still decoded').toBeGreaterThan(10_000);
  });

  it('decoded mutated requests are answered and encoded without throwing', async () => {
    const rnd = prng(2);
    const conn = { id: 1, clientId: 'fuzz', clientHost: 'test' };
    let answered = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = decode(mutate(seeds[i % seeds.length] as Buffer, rnd));
      if (r === 'rejected') continue;
      const h = handlerFor(r.apiKey);
      if (!h) continue;
      const label = `#${i} key ${r.apiKey} v${r.version}`;
      let res: unknown;
      try {
        res = h.handle(r.req, r.version, ctx, conn);
        if (res instanceof Promise) {
          res = await Promise.race([res, new Promise((resolve) => setImmediate(() => resolve(undefined)))]);
          if (res === undefined) continue; // a long poll, still waiting
        }
        h.encode(new Encoder(), res, r.version);
      } catch (err) {
        if (err instanceof CloseConnection) continue; // a failed acks=0 produce: Kafka's answer too
        throw new Error(`${label}: ${err instanceof Error ? err.stack : String(err)}`);
      }
      answered++;
    }
    expect(answered).toBeGreaterThan(300);
  });
});
