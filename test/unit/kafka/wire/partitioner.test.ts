import { randomBytes } from 'node:crypto';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { JavaCompatiblePartitioner, murmur2 } from '../../../../src/lib/kafka/wire/partitioner.js';
import { kjsMurmur2 } from './kafkajs-codecs.js';

describe('murmur2', () => {
  // The Java client's own test vectors (UtilsTest.testMurmur2).
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%j) = %i', (key, want) => {
    const got = murmur2(Buffer.from(key));
    expect(got, `got ${got}, want ${want}`).toBe(want);
  });

  it('agrees with kafkajs on 5,000 random keys of every length up to 64', () => {
    for (let i = 0; i < 5000; i++) {
      const key = randomBytes(i % 65);
      const got = murmur2(key);
      const want = kjsMurmur2(key);
      if (got !== want) expect(got, `key ${key.toString('hex')}: got ${got}, want ${want}`).toBe(want);
    }
  });
});

describe('JavaCompatiblePartitioner', () => {
  const meta = (leaders: number[]) =>
    leaders.map((leader, partitionId) => ({
      partitionId,
      leader,
      replicas: [],
      isr: [],
      partitionErrorCode: 0,
      offlineReplicas: [],
    }));

  it('places keyed records exactly where kafkajs’s DefaultPartitioner does', () => {
    const ours = new JavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const n of [1, 3, 7, 12]) {
      const partitions = meta(Array.from({ length: n }, () => 1));
      for (let i = 0; i < 500; i++) {
        const key = Buffer.from(`customer-${i}`);
        const want = theirs({ topic: 't', partitionMetadata: partitions, message: { key, value: null } });
        expect(ours.partition('t', key, partitions), `${n} partitions, key ${key.toString()}`).toBe(want);
      }
    }
  });

  it('round-robins null keys over partitions with a leader, like kafkajs', () => {
    const partitions = meta([1, -1, 1, 1, -1]);
    const sequence = (f: () => number) => Array.from({ length: 12 }, f);
    const ours = new JavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    const a = sequence(() => ours.partition('t', null, partitions));
    const b = sequence(() =>
      theirs({ topic: 't', partitionMetadata: partitions, message: { key: null, value: null } }),
    );
    // Both start at a random point of the same cycle over the partitions that have a leader.
    const cycle = (s: number[]) => s.map((p, i) => [p, s[i + 1]]).slice(0, -1);
    const steps = new Set(cycle(b).map((x) => x.join('>')));
    expect(new Set(a)).toEqual(new Set([0, 2, 3]));
    expect(new Set(b)).toEqual(new Set([0, 2, 3]));
    for (const step of cycle(a)) expect(steps.has(step.join('>')), `step ${step.join('>')}`).toBe(true);
  });

  it('still picks a partition when none has a leader', () => {
    const p = new JavaCompatiblePartitioner().partition('t', null, meta([-1, -1]));
    expect([0, 1]).toContain(p);
  });
});
