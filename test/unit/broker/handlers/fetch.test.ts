// Fetch handler behaviour on an in-memory log with a hand-driven clock: the long poll must wake on
// appends (the clock never fires unless the test says so), byte limits, and error codes.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrokerContext, Clock } from '../../../../src/lib/broker/context.js';
import { fetchHandler } from '../../../../src/lib/broker/handlers/01-fetch.js';
import type { FetchRequest, FetchResponse } from '../../../../src/lib/broker/protocol/messages/01-fetch.js';
import { buildRecordBatch } from '../../../../src/lib/broker/protocol/record-batch.js';
import { MemoryLog } from '../support/memory-log.js';

class ManualClock implements Clock {
  timers: { at: number; fn: () => void; live: boolean }[] = [];
  t = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }
  advance(ms: number): void {
    this.t += ms;
    for (const timer of this.timers) {
      if (timer.live && timer.at <= this.t) {
        timer.live = false;
        timer.fn();
      }
    }
  }
  get pending(): number {
    return this.timers.filter((x) => x.live).length;
  }
}

let log: MemoryLog;
let clock: ManualClock;
let ctx: BrokerContext;
const conn = { id: 1, clientId: 't', clientHost: 'test' };

beforeEach(() => {
  log = new MemoryLog();
  log.createTopic('f', 2, {});
  clock = new ManualClock();
  ctx = {
    log,
    groups: {} as BrokerContext['groups'],
    clock,
    identity: { nodeId: 1, host: '127.0.0.1', port: 1, clusterId: 'c' },
  };
});

function request(
  over: Partial<FetchRequest> = {},
  parts = [{ partition: 0, offset: 0n, max: 1 << 20 }],
): FetchRequest {
  return {
    replicaId: -1,
    maxWaitMs: 10_000,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    rackId: '',
    topics: [
      {
        topic: 'f',
        topicId: null,
        partitions: parts.map((p) => ({
          partition: p.partition,
          currentLeaderEpoch: -1,
          fetchOffset: p.offset,
          logStartOffset: -1n,
          partitionMaxBytes: p.max,
        })),
      },
    ],
    ...over,
  };
}

const batch = (value: string): Buffer => buildRecordBatch({ timestamp: 1n, records: [{ value }] });

async function settle<T>(p: T | Promise<T>): Promise<{ done: boolean; value?: T }> {
  let out: { done: boolean; value?: T } = { done: false };
  void Promise.resolve(p).then((value) => (out = { done: true, value }));
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  return out;
}

function partitionOf(res: FetchResponse, i = 0): FetchResponse['responses'][number]['partitions'][number] {
  const p = res.responses[0]?.partitions[i];
  if (!p) throw new Error('no partition in answer');
  return p;
}

describe('Fetch long poll', () => {
  it('answers at once when MinBytes are already there', async () => {
    await log.append('f', 0, batch('x'), 'none');
    const res = await fetchHandler.handle(request(), 11, ctx, conn);
    expect(partitionOf(res).records?.length).toBeGreaterThan(0);
    expect(clock.pending, 'no timer left behind').toBe(0);
  });

  it('waits, then answers when data arrives, without the timer firing', async () => {
    const pending = fetchHandler.handle(request(), 11, ctx, conn);
    expect((await settle(pending)).done, 'answered before any data').toBe(false);
    await log.append('f', 0, batch('late'), 'none');
    const got = await settle(pending);
    expect(got.done, 'the append did not wake the fetch').toBe(true);
    expect(partitionOf(got.value as FetchResponse).highWatermark).toBe(1n);
    expect(clock.pending, 'timer not cancelled').toBe(0);
    expect(log.listenerCount, 'append listener not removed').toBe(0);
  });

  it('ignores appends to other partitions and answers empty at MaxWaitMs', async () => {
    const pending = fetchHandler.handle(request(), 11, ctx, conn);
    await log.append('f', 1, batch('elsewhere'), 'none');
    expect((await settle(pending)).done).toBe(false);
    clock.advance(10_000);
    const got = await settle(pending);
    expect(got.done).toBe(true);
    expect(partitionOf(got.value as FetchResponse).records?.length).toBe(0);
    expect(log.listenerCount).toBe(0);
  });

  it('MinBytes 0 or MaxWaitMs 0 answer at once', async () => {
    for (const over of [{ minBytes: 0 }, { maxWaitMs: 0 }]) {
      const got = await settle(fetchHandler.handle(request(over), 11, ctx, conn));
      expect(got.done, `with ${JSON.stringify(over)}`).toBe(true);
    }
  });
});

describe('Fetch limits and errors', () => {
  it('gives the first partition with data a whole batch beyond MaxBytes, the next none', async () => {
    const big = buildRecordBatch({ timestamp: 1n, records: [{ value: 'y'.repeat(500) }] });
    await log.append('f', 0, big, 'none');
    await log.append('f', 1, big, 'none');
    const res = (await fetchHandler.handle(
      request({ maxBytes: 100 }, [
        { partition: 0, offset: 0n, max: 1 << 20 },
        { partition: 1, offset: 0n, max: 1 << 20 },
      ]),
      11,
      ctx,
      conn,
    )) as FetchResponse;
    expect(partitionOf(res, 0).records?.length).toBe(big.length);
    expect(partitionOf(res, 1).records?.length).toBe(0);
    expect(partitionOf(res, 1).highWatermark, 'the empty partition still reports its end').toBe(1n);
  });

  it.each([
    { name: 'offset past the end', offset: 5n, code: 1 },
    { name: 'offset before the start', offset: -1n, code: 1 },
  ])('$name answers OFFSET_OUT_OF_RANGE', async ({ offset, code }) => {
    const res = (await fetchHandler.handle(
      request({}, [{ partition: 0, offset, max: 1000 }]),
      11,
      ctx,
      conn,
    )) as FetchResponse;
    expect(partitionOf(res).errorCode).toBe(code);
  });

  it('unknown topic: UNKNOWN_TOPIC_OR_PARTITION by name, UNKNOWN_TOPIC_ID by id (v13+)', async () => {
    const byName = request();
    (byName.topics[0] as { topic: string }).topic = 'nope';
    expect(partitionOf((await fetchHandler.handle(byName, 11, ctx, conn)) as FetchResponse).errorCode).toBe(
      3,
    );
    const byId = request();
    (byId.topics[0] as { topicId: Buffer }).topicId = Buffer.alloc(16, 7);
    expect(partitionOf((await fetchHandler.handle(byId, 13, ctx, conn)) as FetchResponse).errorCode).toBe(
      100,
    );
  });

  it('finds topics by id from v13', async () => {
    await log.append('f', 0, batch('x'), 'none');
    const req = request();
    (req.topics[0] as { topicId: Buffer | null; topic: string }).topicId = log.getTopic('f')?.id ?? null;
    (req.topics[0] as { topic: string }).topic = '';
    const res = (await fetchHandler.handle(req, 17, ctx, conn)) as FetchResponse;
    expect(partitionOf(res).errorCode).toBe(0);
    expect(partitionOf(res).highWatermark).toBe(1n);
  });

  it('a fetch session id we never handed out answers FETCH_SESSION_ID_NOT_FOUND', async () => {
    const res = (await fetchHandler.handle(
      request({ sessionId: 42, sessionEpoch: 1 }),
      11,
      ctx,
      conn,
    )) as FetchResponse;
    expect(res.errorCode).toBe(70);
    expect(res.sessionId).toBe(0);
  });
});

describe('Fetch when the response is full', () => {
  it('reports later partitions offsets (and range errors) without records', async () => {
    const big = buildRecordBatch({ timestamp: 1n, records: [{ value: 'z'.repeat(300) }] });
    await log.append('f', 0, big, 'none');
    await log.append('f', 1, batch('a'), 'none');
    await log.append('f', 1, batch('b'), 'none');
    const res = (await fetchHandler.handle(
      request({ maxBytes: 50 }, [
        { partition: 0, offset: 0n, max: 1 << 20 },
        { partition: 1, offset: 1n, max: 1 << 20 },
      ]),
      11,
      ctx,
      conn,
    )) as FetchResponse;
    expect(partitionOf(res, 1)).toMatchObject({ errorCode: 0, highWatermark: 2n, logStartOffset: 0n });
    expect(partitionOf(res, 1).records?.length).toBe(0);
    const bad = (await fetchHandler.handle(
      request({ maxBytes: 50 }, [
        { partition: 0, offset: 0n, max: 1 << 20 },
        { partition: 1, offset: 9n, max: 1 << 20 },
      ]),
      11,
      ctx,
      conn,
    )) as FetchResponse;
    expect(partitionOf(bad, 1).errorCode).toBe(1);
  });
});
