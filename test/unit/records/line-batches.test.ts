import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  inputRecordBatches,
  inputRecords,
  readLineBatches,
  readLines,
} from '../../../src/lib/records/input.js';

const chunks = (...parts: (string | Buffer)[]) =>
  Readable.from(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readLineBatches', () => {
  it('splits on \\n across chunk borders, keeps \\r and binary bytes, yields the last unterminated line', async () => {
    const input = ['ab', 'c\nd\r\n', Buffer.from([0xff, 0x0a, 0x00]), '\n\nlast'];
    const batches = await all(readLineBatches(chunks(...input)));
    const lines = batches.flat().map((b) => b.toString('hex'));
    expect(lines).toEqual(
      [
        Buffer.from('abc'),
        Buffer.from('d\r'),
        Buffer.from([0xff]),
        Buffer.from([0x00]),
        Buffer.alloc(0),
        Buffer.from('last'),
      ].map((b) => b.toString('hex')),
    );
    // One array per chunk that completed a line, not one await per line.
    expect(batches.length).toBe(4);
    const single = await all(readLines(chunks(...input)));
    expect(single.map((b) => b.toString('hex'))).toEqual(lines);
  });
});

describe('inputRecordBatches', () => {
  it('yields the records inputRecords yields, in arrays', async () => {
    const text = { headers: {}, keySeparator: ':' };
    const make = () => Readable.from([Buffer.from('k1:v1\n\nv2\n'), Buffer.from('k3:v3')]);
    const batched = (await all(inputRecordBatches({ stdin: make() }, 'text', text))).flat();
    const single = await all(inputRecords({ stdin: make() }, 'text', text));
    expect(batched).toEqual(single);
    expect(batched.map((r) => [r.key?.toString() ?? null, r.value?.toString()])).toEqual([
      ['k1', 'v1'],
      [null, 'v2'],
      ['k3', 'v3'],
    ]);
  });

  it('numbers jsonl lines across batches in its errors', async () => {
    const stdin = Readable.from([
      Buffer.from('{"key":null,"value":"a","headers":{}}\n'),
      Buffer.from('{"value": 5}\n'),
    ]);
    await expect(all(inputRecordBatches({ stdin }, 'jsonl', { headers: {} }))).rejects.toThrow(/line 2/);
  });
});
