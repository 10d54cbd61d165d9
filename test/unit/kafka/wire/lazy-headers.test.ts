import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../../../../src/lib/kafka/wire/bytes.js';
import {
  LazyHeadersRecord,
  decodeRecordBatches,
  headerText,
} from '../../../../src/lib/kafka/wire/record-batch-decoder.js';
import { type BatchRecord, encodeRecordBatch } from '../../../../src/lib/kafka/wire/record-batch-encoder.js';

const NOW = 1_764_000_000_000;

const records: BatchRecord[] = [
  {
    key: Buffer.from('order-1'),
    value: Buffer.from('{"a":1}'),
    headers: {
      ce_type: Buffer.from('eventbench.checkout.cart-created.v1'),
      ce_id: Buffer.from('order-1:cart-created:1'),
      ce_subject: Buffer.from('ordér-1'),
      ce_time: Buffer.from('2026-11-20T10:00:00.000Z'),
    },
    timestamp: NOW,
  },
  { key: null, value: null, headers: {}, timestamp: NOW + 1 },
  {
    key: null,
    value: Buffer.from('x'),
    headers: {
      rep: [Buffer.from('first'), Buffer.from('second')],
      nul: null,
      empty: Buffer.alloc(0),
      ce: Buffer.from('c'),
    },
    timestamp: NOW + 2,
  },
];

async function decodeBoth(buf: Buffer) {
  const eager = await decodeRecordBatches(buf, 0, buf.length, 't', 0);
  const lazy = await decodeRecordBatches(buf, 0, buf.length, 't', 0, { lazyHeaders: true });
  return { eager: eager.records, lazy: lazy.records };
}

describe('lazy headers (replay reads a few headers by name)', () => {
  it('decodes the same records, and the same headers when they are read', async () => {
    const { eager, lazy } = await decodeBoth(
      await encodeRecordBatch(records, { compression: 'none', now: NOW }),
    );
    expect(lazy.every((r) => r instanceof LazyHeadersRecord)).toBe(true);
    const fields = (r: (typeof eager)[number]) => ({
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      key: r.key,
      value: r.value,
      headers: r.headers,
    });
    expect(lazy.map(fields)).toEqual(eager.map(fields));
  });

  it('headerText finds a header by name without decoding the rest, on lazy and eager records alike', async () => {
    const { eager, lazy } = await decodeBoth(
      await encodeRecordBatch(records, { compression: 'gzip', now: NOW }),
    );
    for (const rs of [eager, lazy]) {
      expect(headerText(rs[0]!, 'ce_subject'), 'UTF-8 text').toBe('ordér-1');
      expect(headerText(rs[0]!, 'ce_time')).toBe('2026-11-20T10:00:00.000Z');
      expect(headerText(rs[0]!, 'ce_tim'), 'a prefix of a name is another name').toBeUndefined();
      expect(headerText(rs[1]!, 'ce_type'), 'no headers at all').toBeUndefined();
      expect(headerText(rs[2]!, 'rep'), 'a repeated name gives its first value').toBe('first');
      expect(headerText(rs[2]!, 'nul'), 'a null value').toBeUndefined();
      expect(headerText(rs[2]!, 'empty')).toBe('');
      expect(headerText(rs[2]!, 'ce')).toBe('c');
    }
  });

  it('a header section that runs past its record is an error when read, never garbage', async () => {
    const buf = await encodeRecordBatch([records[0]!], { compression: 'none', now: NOW });
    const { lazy } = await decodeBoth(buf);
    // Corrupt the first header's name length (right after the header count) to claim 100 bytes.
    const at = buf.indexOf(Buffer.from('ce_type')) - 1;
    buf[at] = 200; // zigzag varint 100
    expect(() => (lazy[0] as LazyHeadersRecord).headerText('ce_id')).toThrow(WireFormatError);
    expect(() => lazy[0]!.headers).toThrow(WireFormatError);
  });
});
