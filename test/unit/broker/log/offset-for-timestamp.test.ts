import { describe, expect, it } from 'vitest';
import { buildRecordBatch } from '../../../../src/lib/broker/protocol/record-batch.js';
import type { LogStore } from '../../../../src/lib/broker/log/types.js';
import { open, tempDir } from './helpers.js';

/**
 * Record timestamps by offset (batches of 4, some non-monotonic):
 *   batch 0: 100 101 102 103    offsets 0-3
 *   batch 1: 200 150 250 210    offsets 4-7   (non-monotonic inside a batch)
 *   batch 2: 120 130 140 145    offsets 8-11  (earlier than batch 1's max)
 *   batch 3: 300 300 301 302    offsets 12-15
 */
const BATCHES = [
  [100, 101, 102, 103],
  [200, 150, 250, 210],
  [120, 130, 140, 145],
  [300, 300, 301, 302],
];

async function build(
  segmentBytes: number,
  interval: string,
  compression: 'none' | 'gzip' = 'none',
): Promise<LogStore> {
  const s = await open(tempDir(), { segmentBytes });
  s.createTopic('t', 1, {
    'index.interval.bytes': interval,
    'message.timestamp.after.max.ms': '9223372036854775807',
  });
  for (const ts of BATCHES) {
    const base = ts[0]!;
    const b = buildRecordBatch({
      timestamp: base,
      compression,
      records: ts.map((t, i) => ({ value: `v${i}`, timestampDelta: t - base })),
    });
    await s.append('t', 0, b, 'none');
  }
  return s;
}

// [target ts, want offset, want timestamp] — want null when no record qualifies.
const cases: [number, number | null, number | null][] = [
  [0, 0, 100], // before all
  [100, 0, 100], // exact first
  [101, 1, 101], // exact, inside a batch
  [103, 3, 103],
  [104, 4, 200], // between: first record >= 104 by offset is 200 at offset 4
  [150, 4, 200], // 150 exists at offset 5, but offset 4 (200) comes first
  [201, 6, 250],
  [250, 6, 250],
  [251, 12, 300], // batch 1 max is 250, batch 2 max 145: answer in batch 3
  [300, 12, 300],
  [302, 15, 302], // exact last
  [303, null, null], // after all
];

describe.each([
  ['one segment, dense index', 1 << 20, '0', 'none'],
  ['one segment, no index entries', 1 << 20, '100000', 'none'],
  ['a segment per batch', 150, '0', 'none'],
  ['gzip batches', 1 << 20, '0', 'gzip'],
] as const)('offsetForTimestamp: %s', (_name, segmentBytes, interval, compression) => {
  it.each(cases)('ts %d -> offset %s', async (ts, offset, timestamp) => {
    const s = await build(segmentBytes, interval, compression);
    const got = s.offsetForTimestamp('t', 0, BigInt(ts));
    const want = offset === null ? null : { offset: BigInt(offset), timestamp: BigInt(timestamp!) };
    expect(
      got,
      `ts ${ts}: got ${JSON.stringify(got, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}`,
    ).toEqual(want);
  });
});

describe('offsetForTimestamp edge cases', () => {
  it('empty log gives null', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    expect(s.offsetForTimestamp('t', 0, 0n)).toBeNull();
  });

  it('never answers below the log start offset', async () => {
    const s = await build(1 << 20, '0');
    s.deleteRecords('t', 0, 2n);
    expect(s.offsetForTimestamp('t', 0, 0n)).toEqual({ offset: 2n, timestamp: 102n });
    s.deleteRecords('t', 0, 13n);
    expect(s.offsetForTimestamp('t', 0, 100n)).toEqual({ offset: 13n, timestamp: 300n });
  });

  it('snappy-compressed batch (cannot decode): the batch base offset with its max timestamp', async () => {
    const s = await open(tempDir());
    s.createTopic('t', 1, {});
    await s.append('t', 0, buildRecordBatch({ timestamp: 10, records: [{ value: 'a' }] }), 'none');
    const b = buildRecordBatch({
      timestamp: 20,
      records: [{ value: 'b' }, { value: 'c', timestampDelta: 5 }],
    });
    b.writeInt16BE(2, 21); // claim snappy
    const { writeCrc } = await import('../../../../src/lib/broker/protocol/record-batch.js');
    writeCrc(b, 0, b.length);
    await s.append('t', 0, b, 'none');
    expect(s.offsetForTimestamp('t', 0, 22n)).toEqual({ offset: 1n, timestamp: 25n });
  });

  it('uses the time index after a restart', async () => {
    const dir = tempDir();
    let s = await open(dir, { segmentBytes: 300 });
    s.createTopic('t', 1, { 'index.interval.bytes': '0' });
    for (let i = 0; i < 20; i++)
      await s.append(
        't',
        0,
        buildRecordBatch({
          timestamp: 1000 + i * 10,
          records: [{ value: 'x' }, { value: 'y', timestampDelta: 5 }],
        }),
        'none',
      );
    const want = s.offsetForTimestamp('t', 0, 1093n);
    expect(want).toEqual({ offset: 19n, timestamp: 1095n });
    await s.close();
    s = await open(dir, { segmentBytes: 300 });
    expect(s.offsetForTimestamp('t', 0, 1093n)).toEqual(want);
    expect(s.offsetForTimestamp('t', 0, 1096n)).toEqual({ offset: 20n, timestamp: 1100n });
  });
});
