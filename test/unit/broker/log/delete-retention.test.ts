import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/lib/broker/protocol/error-codes.js';
import { batch, codeOf, open, readAll, tempDir } from './helpers.js';

/** A store with one topic whose 10 batches of 5 records sit in about 5 segments (2 batches each). */
async function fiveSegments(configs: Record<string, string> = {}, clock?: () => number) {
  const dir = tempDir();
  const one = batch(5, 0, 'b0').length;
  const s = await open(dir, { segmentBytes: one * 2, clock });
  s.createTopic('t', 1, { 'message.timestamp.after.max.ms': '9223372036854775807', ...configs });
  // Batch i has timestamps 1000*i .. 1000*i+4.
  for (let i = 0; i < 10; i++) await s.append('t', 0, batch(5, 1000 * i, `b${i}`), 'none');
  return { s, dir, one };
}

const bases = (s: Awaited<ReturnType<typeof fiveSegments>>['s']) =>
  s.inspect('t')[0]!.segments.map((x) => Number(x.baseOffset));

describe('deleteRecords', () => {
  it('moves the log start and deletes whole segments below it', async () => {
    const { s } = await fiveSegments();
    expect(bases(s)).toEqual([0, 10, 20, 30, 40]);
    const files = s.inspect('t')[0]!.segments.map((x) => x.file);
    expect(s.deleteRecords('t', 0, 23n)).toBe(23n);
    expect(s.logStartOffset('t', 0)).toBe(23n);
    expect(bases(s), 'segments left').toEqual([20, 30, 40]);
    expect(files.map((f) => existsSync(f))).toEqual([false, false, true, true, true]);
    expect(readAll(s, 't', 0, 23n)[0]).toEqual([23, 'b4-3']);
    expect(await codeOf(() => s.read('t', 0, 22n, 100))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('a smaller offset keeps the current start; -1 means the end; past the end is OFFSET_OUT_OF_RANGE', async () => {
    const { s } = await fiveSegments();
    s.deleteRecords('t', 0, 12n);
    expect(s.deleteRecords('t', 0, 5n)).toBe(12n);
    expect(await codeOf(() => s.deleteRecords('t', 0, 51n))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(s.deleteRecords('t', 0, -1n)).toBe(50n);
    expect(bases(s), 'active segment stays').toEqual([40]);
    expect(s.read('t', 0, 50n, 100).records.length).toBe(0);
    const r = await s.append('t', 0, batch(1, 99_000), 'none');
    expect(r.baseOffset).toBe(50n);
    expect(r.logStartOffset).toBe(50n);
  });
});

describe('retention', () => {
  it('retention.ms deletes segments whose newest record is older than now - retention.ms', async () => {
    const { s } = await fiveSegments({ 'retention.ms': '5000' });
    // Segment k holds batches 2k, 2k+1: max timestamp 1000*(2k+1)+4.
    s.enforceRetention(9_005);
    // now - max > 5000  <=>  max < 4005: segments 0 (1004) and 1 (3004) go; segment 2 (5004) stays.
    expect(bases(s)).toEqual([20, 30, 40]);
    expect(s.logStartOffset('t', 0)).toBe(20n);
    expect(await codeOf(() => s.read('t', 0, 19n, 100))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    s.enforceRetention(9_004 + 5000);
    expect(bases(s), 'boundary: exactly retention.ms old stays').toEqual([40]);
  });

  it('an expired active segment is rolled and deleted: old offsets are really gone', async () => {
    const { s } = await fiveSegments({ 'retention.ms': '1000' });
    s.enforceRetention(1_000_000);
    const v = s.inspect('t')[0]!;
    expect(v.segments.map((x) => [Number(x.baseOffset), x.bytes])).toEqual([[50, 0]]);
    expect(v.logStartOffset).toBe(50n);
    expect(v.logEndOffset).toBe(50n);
    expect((await s.append('t', 0, batch(1, 999_999), 'none')).baseOffset).toBe(50n);
    s.enforceRetention(1_000_000);
    expect(bases(s), 'fresh data survives').toEqual([50]);
  });

  it('retention.ms -1 keeps everything', async () => {
    const { s } = await fiveSegments({ 'retention.ms': '-1' });
    s.enforceRetention(Number.MAX_SAFE_INTEGER);
    expect(bases(s)).toEqual([0, 10, 20, 30, 40]);
  });

  it('default retention (7 days) deletes nothing young', async () => {
    const { s } = await fiveSegments();
    s.enforceRetention(10_000);
    expect(bases(s)).toEqual([0, 10, 20, 30, 40]);
    s.enforceRetention(604_800_000 + 10_000);
    expect(bases(s)).toEqual([50]);
  });

  it('retention.bytes deletes the oldest segments while the rest stays at or above the limit', async () => {
    const { s, one } = await fiveSegments();
    s.alterConfigs('t', { 'retention.bytes': String(one * 5) }, false);
    s.enforceRetention(10_000);
    // 10 batches; deleting a 2-batch segment is allowed while 10-2k >= 5 remain: k = 2.
    expect(bases(s)).toEqual([20, 30, 40]);
    expect(s.inspect('t')[0]!.bytes).toBe(one * 6);
    expect(s.logStartOffset('t', 0)).toBe(20n);
  });

  it('cleanup.policy=compact topics are not deleted by retention', async () => {
    const { s } = await fiveSegments({ 'cleanup.policy': 'compact', 'retention.ms': '1' });
    s.enforceRetention(1_000_000);
    expect(bases(s)).toEqual([0, 10, 20, 30, 40]);
  });

  it('log start survives a restart after retention', async () => {
    const { s, dir, one } = await fiveSegments({ 'retention.ms': '5000' });
    s.enforceRetention(9_005);
    await s.close();
    const s2 = await open(dir, { segmentBytes: one * 2 });
    expect(s2.logStartOffset('t', 0)).toBe(20n);
    expect(s2.inspect('t')[0]!.segments.map((x) => Number(x.baseOffset))).toEqual([20, 30, 40]);
  });
});
