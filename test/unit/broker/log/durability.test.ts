import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Segment } from '../../../../src/lib/broker/log/segment.js';
import { batch, open, readAll, tempDir } from './helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('flush policy', () => {
  it('concurrent acks=all appends share one fsync (group commit)', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    const sync = vi.spyOn(Segment.prototype, 'sync');
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => s.append('t', 0, batch(2, i), 'fsync')),
    );
    expect(results.map((r) => Number(r.baseOffset))).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    expect(sync.mock.calls.length, `fsyncs for 100 concurrent appends`).toBe(1);
    await s.append('t', 0, batch(1, 1), 'fsync');
    expect(sync.mock.calls.length, 'a later append gets its own fsync').toBe(2);
  });

  it('acks=1 appends resolve without an fsync; the timer or flush() syncs them', async () => {
    const s = await open(tempDir(), { flushIntervalMs: 60_000 });
    s.createTopic('t', 1, {});
    const sync = vi.spyOn(Segment.prototype, 'sync');
    await s.append('t', 0, batch(2, 1), 'none');
    expect(sync.mock.calls.length).toBe(0);
    await s.flush();
    expect(sync.mock.calls.length).toBe(1);
  });

  it('flushIntervalMs 0 fsyncs every append', async () => {
    const s = await open(tempDir(), { flushIntervalMs: 0 });
    s.createTopic('t', 1, {});
    const sync = vi.spyOn(Segment.prototype, 'sync');
    await s.append('t', 0, batch(2, 1), 'none');
    await s.append('t', 0, batch(2, 1), 'none');
    expect(sync.mock.calls.length).toBe(2);
  });

  it('the periodic flush runs on its own', async () => {
    const s = await open(tempDir(), { flushIntervalMs: 20 });
    s.createTopic('t', 1, {});
    const sync = vi.spyOn(Segment.prototype, 'sync');
    await s.append('t', 0, batch(2, 1), 'none');
    await vi.waitFor(() => expect(sync.mock.calls.length).toBeGreaterThan(0), { timeout: 5000 });
  });

  it('flush() writes pending index entries to the index files', async () => {
    const dir = tempDir();
    const s = await open(dir);
    s.createTopic('t', 1, { 'index.interval.bytes': '0' });
    for (let i = 0; i < 10; i++) await s.append('t', 0, batch(2, 100 + i), 'none');
    await s.flush();
    const pdir = join(dir, 'log', 't-0');
    const index = readdirSync(pdir).find((f) => f.endsWith('.index'))!;
    const entries = s.inspect('t')[0]!.segments[0]!.offsetIndexEntries;
    expect(entries).toBe(9);
    expect(statSync(join(pdir, index)).size).toBe(entries * 8);
  });

  it('appends after close are refused; data written before close is kept', async () => {
    const dir = tempDir();
    const s = await open(dir);
    s.createTopic('t', 1, {});
    const pending = s.append('t', 0, batch(3, 1), 'fsync');
    await s.close();
    await pending;
    await expect(s.append('t', 0, batch(1, 1), 'none')).rejects.toThrow(/closed/);
    const s2 = await open(dir);
    expect(readAll(s2, 't', 0)).toHaveLength(3);
  });
});
