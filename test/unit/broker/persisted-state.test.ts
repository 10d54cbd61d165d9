import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadClusterId, openProducerIds } from '../../../src/lib/broker/persisted-state.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eb-state-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('persisted broker state', () => {
  it('keeps one cluster id per data directory', async () => {
    const a = await loadClusterId(dir);
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await loadClusterId(dir)).toBe(a);
  });

  it('never hands out a producer id twice, across reopenings', async () => {
    const first = await openProducerIds(dir);
    const ids = await Promise.all(Array.from({ length: 5 }, () => first.next()));
    expect(new Set(ids).size).toBe(5);
    const again = await openProducerIds(dir);
    const later = await again.next();
    const max = ids.reduce((m, x) => (x > m ? x : m), -1n);
    expect(later > max, `got ${later} after ${ids.join(',')}`).toBe(true);
    const files = await readdir(dir);
    expect(
      files.filter((f) => f.includes('.tmp')),
      'temp files left behind',
    ).toEqual([]);
  });
});
