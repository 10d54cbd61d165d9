import { describe, expect, it } from 'vitest';
import { hash128, permute32, rngFor, Rng } from '../../../src/lib/events/prng.js';
import { iso } from '../../../src/lib/events/world.js';
import { murmur2, partitionForKey } from '../../../src/lib/events/partition.js';
import { createRequire } from 'node:module';

describe('seeded randomness', () => {
  // Pinned outputs: if these change, every published seed changes meaning. Only integer and
  // IEEE-exact operations are involved, so they are the same on every machine.
  it.each([
    ['', [754029045, 2287418620, 4045954408, 1601829198]],
    ['42', [144763282, 1599659950, 3562748203, 3558850423]],
    ['42/checkout/7', [1197845416, 4212858378, 2350177140, 1211331142]],
  ])('hash128(%j) is pinned', (text, want) => {
    expect(hash128(text), `got ${hash128(text).join(',')}, want ${want.join(',')}`).toEqual(want);
  });

  it('a stream is pinned and derived from seed and path', () => {
    const r = rngFor('42', 'checkout', 7);
    expect([r.next(), r.next(), r.next()]).toEqual([531389390, 198314036, 2678576613]);
    const again = new Rng(hash128('42/checkout/7'));
    expect(again.next()).toBe(531389390);
  });

  it('neighbouring seeds give unrelated streams', () => {
    const a = rngFor('s', 1);
    const b = rngFor('s', 2);
    let same = 0;
    for (let i = 0; i < 1000; i++) if (a.next() === b.next()) same++;
    expect(same, `got ${same} equal draws`).toBe(0);
  });

  it('int stays in range and hits both ends', () => {
    const r = rngFor('range');
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const v = r.int(3, 7);
      expect(v >= 3 && v <= 7, `got ${v}, want 3..7`).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('permute32 is a bijection (no two journeys share an id)', () => {
    const seen = new Set<number>();
    for (let k = 0; k < 200_000; k++) seen.add(permute32(k, 0xdeadbeef));
    expect(seen.size).toBe(200_000);
    expect(permute32(0, 123)).toBe(2171494743);
  });
});

describe('iso', () => {
  it('equals Date.prototype.toISOString', () => {
    const r = rngFor('iso');
    const samples = [
      0,
      1,
      999,
      86_399_999,
      86_400_000,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31),
    ];
    for (let i = 0; i < 20_000; i++) samples.push(r.int(0, 2 ** 31 - 1) * 1000 + r.int(0, 999));
    for (const ms of samples) expect(iso(ms), `for ${ms}`).toBe(new Date(ms).toISOString());
  });
});

describe('partitionForKey', () => {
  // kafkajs's DefaultPartitioner (Java-compatible murmur2) is the reference.
  const require = createRequire(import.meta.url);
  const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
    k: Buffer,
  ) => number;

  it('matches kafkajs murmur2 on keys of every length mod 4', () => {
    for (const key of ['', 'a', 'ab', 'abc', 'abcd', 'user-1a2b3c4d', 'order-00000000', 'délivery-é']) {
      const b = Buffer.from(key);
      expect(murmur2(b), `murmur2(${key})`).toBe(kafkajsMurmur2(b));
    }
    const r = rngFor('murmur');
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.from(`order-${r.hex8()}${'x'.repeat(r.int(0, 5))}`);
      expect(murmur2(b)).toBe(kafkajsMurmur2(b));
    }
  });

  it('is toPositive(murmur2) % partitions', () => {
    const b = Buffer.from('user-1a2b3c4d');
    expect(partitionForKey(b, 3)).toBe((kafkajsMurmur2(b) & 0x7fffffff) % 3);
  });
});
