import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/lib/broker/protocol/error-codes.js';
import { lastSequence } from '../../../../src/lib/broker/log/producer-state.js';
import { batch, codeOf, open, readAll, tempDir } from './helpers.js';

const idem = (n: number, seq: number, epoch = 0, pid = 7n, tag = `s${seq}`) =>
  batch(n, 1000, tag, { producerId: pid, producerEpoch: epoch, baseSequence: seq });

async function store() {
  const s = await open(tempDir());
  s.createTopic('t', 1, {});
  return s;
}

describe('idempotent producer dedup', () => {
  it('a retried batch answers its original offset and writes nothing', async () => {
    const s = await store();
    expect((await s.append('t', 0, idem(3, 0), 'fsync')).baseOffset).toBe(0n);
    expect((await s.append('t', 0, idem(2, 3), 'fsync')).baseOffset).toBe(3n);
    const end = s.logEndOffset('t', 0);
    expect((await s.append('t', 0, idem(2, 3), 'fsync')).baseOffset, 'retry of the last').toBe(3n);
    expect((await s.append('t', 0, idem(3, 0), 'fsync')).baseOffset, 'retry of an older one').toBe(0n);
    expect(s.logEndOffset('t', 0)).toBe(end);
    expect(readAll(s, 't', 0).length).toBe(5);
  });

  it('remembers the last 5 batches per producer, as Kafka', async () => {
    const s = await store();
    for (let i = 0; i < 6; i++) await s.append('t', 0, idem(1, i), 'none');
    expect((await s.append('t', 0, idem(1, 1), 'none')).baseOffset, '5th newest').toBe(1n);
    expect(await codeOf(() => s.append('t', 0, idem(1, 0), 'none')), '6th newest').toBe(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
  });

  const errors: [string, Buffer[], Buffer, number | string][] = [
    ['a gap', [idem(2, 0)], idem(1, 5), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER],
    ['overlapping range', [idem(2, 0)], idem(2, 1), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER],
    ['an older epoch', [idem(1, 0, 3)], idem(1, 1, 2), ErrorCode.INVALID_PRODUCER_EPOCH],
    ['a new epoch not starting at 0', [idem(1, 0, 1)], idem(1, 4, 2), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER],
    ['a new epoch starting at 0', [idem(1, 0, 1), idem(1, 1, 1)], idem(1, 0, 2), 'no error'],
    ['an unknown producer at any sequence', [idem(1, 0, 0, 1n)], idem(1, 42, 0, 2n), 'no error'],
    ['non-idempotent batches', [batch(1, 1)], batch(1, 1), 'no error'],
  ];
  it.each(errors)('%s', async (_name, before, next, want) => {
    const s = await store();
    for (const b of before) await s.append('t', 0, b, 'none');
    const end = s.logEndOffset('t', 0);
    const got = await codeOf(() => s.append('t', 0, next, 'none'));
    expect(got).toBe(want);
    if (want !== 'no error') expect(s.logEndOffset('t', 0), 'nothing written').toBe(end);
  });

  it('checks several batches of one append in order', async () => {
    const s = await store();
    await s.append('t', 0, Buffer.concat([idem(2, 0), idem(2, 2)]), 'none');
    expect(await codeOf(() => s.append('t', 0, Buffer.concat([idem(1, 4), idem(1, 6)]), 'none'))).toBe(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    );
    expect(s.logEndOffset('t', 0)).toBe(4n);
    expect((await s.append('t', 0, idem(2, 2), 'none')).baseOffset).toBe(2n);
  });

  it.each([
    [0, 0, 0],
    [5, 3, 8],
    [2147483647, 0, 2147483647],
    [2147483647, 1, 0],
    [2147483640, 10, 2],
  ])('lastSequence(%d, %d) wraps to %d', (first, delta, want) => {
    expect(lastSequence(first, delta)).toBe(want);
  });
});
