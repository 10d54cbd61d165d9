import { describe, expect, it } from 'vitest';
import type { FetchedRecord } from '../../../src/lib/kafka/partition-reader.js';
import { rawChunk } from '../../../src/lib/render/records.js';

const rec = (value: Buffer | null): FetchedRecord => ({
  topic: 't',
  partition: 0,
  offset: 0,
  timestamp: 0,
  key: null,
  value,
  headers: {},
});

describe('rawChunk', () => {
  it('writes each value’s bytes unchanged, one per line, null as an empty line', () => {
    const got = rawChunk([
      rec(Buffer.from('a')),
      rec(null),
      rec(Buffer.from([0xff, 0x00, 0xc3])),
      rec(Buffer.alloc(0)),
    ]);
    expect(got.toString('hex')).toBe(Buffer.from([0x61, 10, 10, 0xff, 0x00, 0xc3, 10, 10]).toString('hex'));
  });

  it('is empty for no records', () => {
    expect(rawChunk([]).length).toBe(0);
  });
});
