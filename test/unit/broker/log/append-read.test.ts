import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/lib/broker/protocol/error-codes.js';
import {
  buildRecordBatch,
  decodeRecords,
  readBatchHeader,
  verifyCrc,
  writeCrc,
} from '../../../../src/lib/broker/protocol/record-batch.js';
import { batch, codeOf, open, readAll, tempDir, values } from './helpers.js';

describe('append and read', () => {
  it('round-trips across segment rolls, offsets contiguous', async () => {
    const s = await open(tempDir(), { segmentBytes: 2048 });
    s.createTopic('t', 1, {});
    const want: [number, string][] = [];
    for (let i = 0; i < 60; i++) {
      const n = 1 + (i % 7);
      const r = await s.append('t', 0, batch(n, 1000 + i, `b${i}`), i % 3 === 0 ? 'fsync' : 'none');
      expect(r.baseOffset, `batch ${i} base offset`).toBe(BigInt(want.length));
      for (let j = 0; j < n; j++) want.push([want.length, `b${i}-${j}`]);
    }
    const view = s.inspect('t')[0]!;
    expect(view.segments.length, 'segments after rolls').toBeGreaterThan(3);
    for (const seg of view.segments)
      expect(seg.bytes, `segment ${seg.baseOffset} size`).toBeLessThanOrEqual(2048);
    for (let i = 1; i < view.segments.length; i++) {
      expect(view.segments[i]!.baseOffset).toBe(view.segments[i - 1]!.nextOffset);
    }
    expect(s.logEndOffset('t', 0)).toBe(BigInt(want.length));
    expect(readAll(s, 't', 0)).toEqual(want);
  });

  it('reads from an offset in the middle of a batch: the whole batch containing it', async () => {
    const s = await open(tempDir(), { segmentBytes: 1 << 20 });
    s.createTopic('t', 1, { 'index.interval.bytes': '100' });
    for (let i = 0; i < 30; i++) await s.append('t', 0, batch(10, 1000, `b${i}`), 'none');
    expect(s.inspect('t')[0]!.segments[0]!.offsetIndexEntries, 'index entries').toBeGreaterThan(10);
    for (const offset of [0, 5, 9, 10, 155, 299]) {
      const r = s.read('t', 0, BigInt(offset), 1);
      const got = values(r.records);
      const base = offset - (offset % 10);
      expect(got[0]![0], `first offset read at ${offset}`).toBe(base);
      expect(got.length, `records read at ${offset}`).toBe(10);
      expect(got.map(([o]) => o)).toContain(offset);
    }
  });

  it('returns whole batches up to maxBytes, at least one', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    const one = batch(3, 1000);
    for (let i = 0; i < 10; i++) await s.append('t', 0, batch(3, 1000), 'none');
    const size = one.length;
    expect(s.read('t', 0, 0n, size * 3 + size - 1).records.length, 'just under 4 batches').toBe(size * 3);
    expect(s.read('t', 0, 0n, size * 4).records.length).toBe(size * 4);
    expect(s.read('t', 0, 3n, 1).records.length, 'tiny maxBytes').toBe(size);
    expect(s.read('t', 0, 0n, 1 << 20).records.length, 'everything').toBe(size * 10);
  });

  it('stores batches as received, baseOffset rewritten, CRC still valid', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    await s.append('t', 0, batch(4, 1000), 'none');
    const sent = batch(2, 5000, 'x', { baseOffset: 777n });
    await s.append('t', 0, Buffer.from(sent), 'none');
    const got = s.read('t', 0, 4n, 1000).records;
    expect(readBatchHeader(got, 0).baseOffset).toBe(4n);
    expect(got.subarray(8).equals(sent.subarray(8)), 'bytes after baseOffset unchanged').toBe(true);
    expect(verifyCrc({ buf: got, pos: 0, size: got.length })).toBe(true);
  });

  it('appends several batches in one call', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    const r = await s.append('t', 0, Buffer.concat([batch(2, 1, 'a'), batch(3, 1, 'b')]), 'fsync');
    expect(r.baseOffset).toBe(0n);
    expect(readAll(s, 't', 0).map(([o, v]) => `${o}:${v}`)).toEqual([
      '0:a-0',
      '1:a-1',
      '2:b-0',
      '3:b-1',
      '4:b-2',
    ]);
  });

  it('offset == end reads empty; below start or past end is OFFSET_OUT_OF_RANGE', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    expect(s.read('t', 0, 0n, 100).records.length, 'empty log').toBe(0);
    await s.append('t', 0, batch(5, 1), 'none');
    const r = s.read('t', 0, 5n, 100);
    expect(r.records.length).toBe(0);
    expect(r.highWatermark).toBe(5n);
    expect(await codeOf(() => s.read('t', 0, 6n, 100))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(await codeOf(() => s.read('t', 0, -1n, 100))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    s.deleteRecords('t', 0, 2n);
    expect(await codeOf(() => s.read('t', 0, 1n, 100))).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(values(s.read('t', 0, 2n, 100).records)[0]![0], 'batch containing the start').toBe(0);
  });

  it('unknown topic or partition', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    expect(await codeOf(() => s.append('nope', 0, batch(1, 1), 'none'))).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect(await codeOf(() => s.append('t', 1, batch(1, 1), 'none'))).toBe(
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    expect(await codeOf(() => s.read('t', 2, 0n, 1))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('rolls on segment.ms (fake clock)', async () => {
    let now = 1_000_000;
    const s = await open(tempDir(), { clock: () => now });
    s.createTopic('t', 1, { 'segment.ms': '60000' });
    await s.append('t', 0, batch(1, now), 'none');
    now += 59_999;
    await s.append('t', 0, batch(1, now), 'none');
    expect(s.inspect('t')[0]!.segments.length, 'before segment.ms').toBe(1);
    now += 1;
    await s.append('t', 0, batch(1, now), 'none');
    expect(s.inspect('t')[0]!.segments.map((x) => [Number(x.baseOffset), Number(x.nextOffset)])).toEqual([
      [0, 2],
      [2, 3],
    ]);
  });

  it('inspect describes segments, indexes and offsets', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 2, { 'index.interval.bytes': '0' });
    for (let i = 0; i < 4; i++) await s.append('t', 1, batch(2, 100 * i), 'none');
    const [p0, p1] = s.inspect('t');
    expect(p0).toMatchObject({ partition: 0, logStartOffset: 0n, logEndOffset: 0n, bytes: 0 });
    expect(p1).toMatchObject({ partition: 1, logStartOffset: 0n, logEndOffset: 8n });
    const seg = p1!.segments[0]!;
    expect(seg).toMatchObject({
      baseOffset: 0n,
      nextOffset: 8n,
      maxTimestamp: 301n,
      offsetIndexEntries: 3,
      timeIndexEntries: 3,
    });
    expect(seg.bytes).toBe(p1!.bytes);
    expect(seg.file).toMatch(/t-1[\\/]00000000000000000000\.log$/);
  });

  it('notifies onAppend listeners until unsubscribed', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 2, {});
    const seen: string[] = [];
    const off = s.onAppend((t, p) => seen.push(`${t}-${p}`));
    await s.append('t', 1, batch(1, 1), 'none');
    off();
    await s.append('t', 0, batch(1, 1), 'none');
    expect(seen).toEqual(['t-1']);
  });
});

describe('append validation: nothing is written on failure', () => {
  const corruptions: [string, () => Buffer, number][] = [
    [
      'flipped byte in a record',
      () => {
        const b = batch(3, 1);
        b[b.length - 3] = b[b.length - 3]! ^ 0xff;
        return b;
      },
      ErrorCode.CORRUPT_MESSAGE,
    ],
    [
      'second batch corrupt',
      () => {
        const b = batch(2, 1);
        b[70] = b[70]! ^ 1;
        return Buffer.concat([batch(2, 1), b]);
      },
      ErrorCode.CORRUPT_MESSAGE,
    ],
    [
      'magic 1',
      () => {
        const b = batch(1, 1);
        b[16] = 1;
        return b;
      },
      ErrorCode.CORRUPT_MESSAGE,
    ],
    ['truncated', () => batch(3, 1).subarray(0, 70), ErrorCode.CORRUPT_MESSAGE],
    [
      'lastOffsetDelta disagrees with records count',
      () => {
        const b = batch(3, 1);
        b.writeInt32BE(5, 23); // lastOffsetDelta 5 for 3 records
        writeCrc(b, 0, b.length); // so only the consistency check can fail
        return b;
      },
      ErrorCode.CORRUPT_MESSAGE,
    ],
    ['timestamp two hours ahead', () => batch(1, Date.now() + 7_200_000), ErrorCode.INVALID_TIMESTAMP],
  ];

  it.each(corruptions)('%s', async (_name, make, code) => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    await s.append('t', 0, batch(2, 1), 'none');
    const before = s.inspect('t')[0]!;
    expect(await codeOf(() => s.append('t', 0, make(), 'fsync'))).toBe(code);
    expect(s.inspect('t')[0], 'partition unchanged').toEqual(before);
    expect(readAll(s, 't', 0).length).toBe(2);
  });

  it('MESSAGE_TOO_LARGE above max.message.bytes', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, { 'max.message.bytes': '200' });
    const big = buildRecordBatch({ timestamp: 1, records: [{ value: 'x'.repeat(300) }] });
    expect(await codeOf(() => s.append('t', 0, big, 'none'))).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(s.logEndOffset('t', 0)).toBe(0n);
  });

  it('LogAppendTime topics stamp the broker time and keep the CRC valid', async () => {
    const s = await open(tempDir(), { clock: () => 424242 });
    s.createTopic('t', 1, { 'message.timestamp.type': 'LogAppendTime' });
    const r = await s.append('t', 0, batch(2, 1000), 'none');
    expect(r.logAppendTime).toBe(424242n);
    const got = s.read('t', 0, 0n, 1000).records;
    expect(verifyCrc({ buf: got, pos: 0, size: got.length })).toBe(true);
    expect(decodeRecords(got).map((x) => x.timestamp)).toEqual([424242n, 424242n]);
  });

  it('acks=all with min.insync.replicas=2 is NOT_ENOUGH_REPLICAS (19) on one broker; acks=1 works', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, { 'min.insync.replicas': '2' });
    expect(await codeOf(() => s.append('t', 0, batch(1, 1), 'fsync'))).toBe(19);
    expect(await codeOf(() => s.append('t', 0, batch(1, 1), 'none'))).toBe('no error');
  });
});
