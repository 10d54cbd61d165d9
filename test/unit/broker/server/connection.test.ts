// The server with a hand-made handler table: answers leave in request order however the handlers
// finish, a handler that throws drops only its connection, and a request without an answer
// (acks=0 style) leaves no gap.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type BrokerContext } from '../../../../src/lib/broker/context.js';
import type { AnyApiHandler } from '../../../../src/lib/broker/handlers/index.js';
import { Decoder } from '../../../../src/lib/broker/protocol/decoder.js';
import { startServer, type KafkaServer } from '../../../../src/lib/broker/server/server.js';
import { correlationIdOf, rawConnect, request } from '../support/raw-client.js';
import { MemoryLog } from '../support/memory-log.js';

const ctx: BrokerContext = {
  log: new MemoryLog(),
  groups: {} as BrokerContext['groups'],
  clock: systemClock,
  identity: { nodeId: 1, host: '127.0.0.1', port: 0, clusterId: 'c' },
};

/** Key 100: answers after the int32 delay in its body; echoes it back. */
const delayed: AnyApiHandler = {
  apiKey: 100,
  name: 'Delay',
  minVersion: 0,
  maxVersion: 1,
  flexibleFrom: 1,
  decode: (d: Decoder) => d.int32(),
  encode: (e, res: number) => void e.int32(res),
  handle: (ms: number) => (ms === 0 ? 0 : new Promise((r) => setTimeout(() => r(ms), ms))),
  expectsResponse: (ms: number) => ms >= 0,
};

/** Key 101: throws in handle. */
const broken: AnyApiHandler = {
  apiKey: 101,
  name: 'Broken',
  minVersion: 0,
  maxVersion: 0,
  flexibleFrom: Infinity,
  decode: () => null,
  encode: () => undefined,
  handle: () => {
    throw new Error('bug');
  },
};

const table = new Map([
  [100, delayed],
  [101, broken],
]);
let server: KafkaServer | undefined;

afterEach(async () => {
  await server?.close(100);
});

async function start(): Promise<KafkaServer> {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    ctx,
    handlerFor: (k) => table.get(k),
  });
  return server;
}

describe('per-connection ordering', () => {
  it('answers in request order while handlers finish in reverse', async () => {
    const s = await start();
    const c = await rawConnect(s.port);
    const delays = [120, 60, 0, 30, 0];
    c.send(Buffer.concat(delays.map((ms, i) => request(100, 0, i + 1, (e) => e.int32(ms)))));
    const frames = await c.frames(5);
    expect(frames.map(correlationIdOf)).toEqual([1, 2, 3, 4, 5]);
    expect(frames.map((f) => f.readInt32BE(4))).toEqual(delays);
    c.socket.destroy();
  });

  it('answers 1,000 pipelined requests (past the in-flight limit, where reading pauses)', async () => {
    const s = await start();
    const c = await rawConnect(s.port);
    const n = 1000;
    c.send(
      Buffer.concat(
        Array.from({ length: n }, (_, i) => request(100, 0, i + 1, (e) => e.int32(i % 7 === 0 ? 5 : 0))),
      ),
    );
    const frames = await c.frames(n);
    expect(frames.map(correlationIdOf)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    c.socket.destroy();
  });

  it('skips requests that want no answer without leaving a gap', async () => {
    const s = await start();
    const c = await rawConnect(s.port);
    c.send(Buffer.concat([request(100, 0, 1, (e) => e.int32(-1)), request(100, 0, 2, (e) => e.int32(10))]));
    const [f] = await c.frames(1);
    expect(correlationIdOf(f as Buffer)).toBe(2);
    c.socket.destroy();
  });

  it('uses response header v1 (tagged fields) for flexible versions', async () => {
    const s = await start();
    const c = await rawConnect(s.port);
    c.send(request(100, 1, 9, (e) => e.int32(0), true));
    const [f] = await c.frames(1);
    expect((f as Buffer).toString('hex')).toBe('000000090000000000');
    c.socket.destroy();
  });
});

describe('faults stay on their connection', () => {
  it('a throwing handler closes its connection; another connection carries on', async () => {
    const s = await start();
    const bad = await rawConnect(s.port);
    const good = await rawConnect(s.port);
    bad.send(request(101, 0, 1));
    await bad.closed;
    good.send(request(100, 0, 2, (e) => e.int32(0)));
    const [f] = await good.frames(1);
    expect(correlationIdOf(f as Buffer)).toBe(2);
    good.socket.destroy();
  });

  it('counts open connections and drops them on close', async () => {
    const s = await start();
    const c = await rawConnect(s.port);
    c.send(request(100, 0, 1, (e) => e.int32(0)));
    await c.frames(1);
    expect(s.connections).toBe(1);
    await s.close(50);
    server = undefined;
    await c.closed;
  });
});

describe('an answer that cannot be encoded', () => {
  it('closes only its connection, also when the handler was asynchronous', async () => {
    const badEncode: AnyApiHandler = {
      ...delayed,
      apiKey: 102,
      encode: () => {
        throw new RangeError('encode bug');
      },
    };
    table.set(102, badEncode);
    const s = await start();
    for (const ms of [0, 10]) {
      const c = await rawConnect(s.port);
      c.send(request(102, 0, 1, (e) => e.int32(ms)));
      await c.closed;
    }
    const ok = await rawConnect(s.port);
    ok.send(request(100, 0, 5, (e) => e.int32(0)));
    expect(correlationIdOf((await ok.frames(1))[0] as Buffer)).toBe(5);
    ok.socket.destroy();
  });
});
