import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type TextInputOptions,
  inputChunks,
  inputRecordBatches,
  inputRecords,
  readFileTextBlocks,
  readLineBatches,
  readLines,
  readTextBlocks,
  textBlockRecords,
  textLineFormat,
  textRecord,
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

const dir = mkdtempSync(join(tmpdir(), 'eb-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The records textRecord makes of each non-empty line: what the block path must equal. */
function lineByLine(input: Buffer, text: TextInputOptions) {
  const out = [];
  let s = 0;
  while (s < input.length) {
    let e = input.indexOf(10, s);
    if (e < 0) e = input.length;
    if (e > s) out.push(textRecord(input.subarray(s, e), text));
    s = e + 1;
  }
  return out;
}

const show = (rs: { key: Buffer | null; value: Buffer | null }[]) =>
  rs.map((r) => [r.key?.toString('hex') ?? null, r.value?.toString('hex') ?? null]);

/** Lines of every awkward kind: empty, \r, binary, separators at the edges, repeated, missing. */
function awkwardInput(): Buffer {
  const parts: (string | Buffer)[] = [
    'k1::v1\n',
    '\n\n',
    '::starts with the separator\n',
    'ends with it::\n',
    'no separator at all\n',
    'two::sep::arators\n',
    'windows::line\r\n',
    Buffer.from([0xff, 0x3a, 0x3a, 0x00, 0x0a]),
    ':\n:\n', // half a separator on each of two lines: neither is split
    'semi;\nafter\n',
    'x'.repeat(5000) + '::' + 'y'.repeat(3000) + '\n',
    'last line without newline::z',
  ];
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

describe('text blocks (the produce path: lines in place)', () => {
  const options: [string, TextInputOptions][] = [
    ['no key', { headers: {} }],
    ['--key', { key: 'K', headers: { h: Buffer.from('1') } }],
    ['--key-separator ::', { keySeparator: '::', headers: {} }],
    ['--key and --key-separator', { key: 'K', keySeparator: '::', headers: {} }],
    ['a one-byte separator', { keySeparator: ':', headers: {} }],
    // A separator can never lie within a line if it holds a newline; one that spans a line's end
    // must not split it.
    ['a separator holding a newline', { keySeparator: ';\n', headers: {} }],
  ];

  it.each(options)('gives the records textRecord gives line by line (%s)', async (_, text) => {
    const input = awkwardInput();
    const want = show(lineByLine(input, text));
    expect(want.length).toBeGreaterThan(8);
    // Read whole, from a stream in odd-sized chunks, and from a file through a tiny buffer that
    // forces carried lines, and a line longer than the buffer.
    const whole = textBlockRecords({ kind: 'text', data: input, format: textLineFormat(text) });
    expect(show(whole)).toEqual(want);
    for (const size of [1, 7, 64, 4096]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < input.length; i += size) chunks.push(input.subarray(i, i + size));
      const got = (await all(inputChunks({ stdin: Readable.from(chunks) }, 'text', text))).flatMap((c) =>
        Array.isArray(c) ? c : textBlockRecords(c),
      );
      expect(show(got), `stdin in ${size}-byte chunks`).toEqual(want);
      const file = join(dir, `awkward-${size}.txt`);
      writeFileSync(file, input);
      const blocks = [];
      for await (const b of readFileTextBlocks(file, size)) {
        blocks.push(textBlockRecords({ kind: 'text', data: b, format: textLineFormat(text) }));
      }
      expect(show(blocks.flat()), `file through a ${size}-byte buffer`).toEqual(want);
    }
    const file = join(dir, 'awkward.txt');
    writeFileSync(file, input);
    const batches = (await all(inputRecordBatches({ file }, 'text', text))).flat();
    expect(show(batches)).toEqual(want);
    expect(batches.every((r) => r.headers === text.headers)).toBe(true);
  });

  it('records made of a file block own their bytes (the buffer is read into again)', async () => {
    const file = join(dir, 'reuse.txt');
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} `.padEnd(40, '.'));
    writeFileSync(file, lines.join('\n') + '\n');
    const kept = [];
    for await (const b of readFileTextBlocks(file, 256))
      kept.push(...textBlockRecords({ kind: 'text', data: b, format: textLineFormat({ headers: {} }) }));
    expect(kept.map((r) => r.value!.toString())).toEqual(lines);
  });

  it("blocks end at a newline, except the input's last", async () => {
    const input = Buffer.from('a\nbb\nccc\ndddd');
    const file = join(dir, 'ends.txt');
    writeFileSync(file, input);
    const fromFile: string[] = [];
    for await (const b of readFileTextBlocks(file, 4)) fromFile.push(b.toString());
    const fromStream = (
      await all(readTextBlocks(Readable.from([input.subarray(0, 3), input.subarray(3)])))
    ).map((b) => b.toString());
    for (const blocks of [fromFile, fromStream]) {
      expect(blocks.join('')).toBe(input.toString());
      expect(blocks.slice(0, -1).every((b) => b.endsWith('\n'))).toBe(true);
      expect(blocks.at(-1)).toMatch(/dddd$/);
    }
  });

  it('a consumer may stop after any block, with the next read still in flight', async () => {
    const file = join(dir, 'early.txt');
    writeFileSync(file, 'one\ntwo\nthree\n'.repeat(1000));
    for (let i = 0; i < 50; i++) {
      const seen: string[] = [];
      for await (const b of readFileTextBlocks(file, 16)) {
        seen.push(b.toString());
        break;
      }
      expect(seen).toEqual(['one\ntwo\nthree\n']);
    }
  });

  it('an empty file gives nothing; arguments stay one record each, even empty or multi-line', async () => {
    const file = join(dir, 'empty.txt');
    writeFileSync(file, '');
    expect(await all(inputChunks({ file }, 'text', { headers: {} }))).toEqual([]);
    const args = (await all(inputChunks({ values: ['', 'a\nb'] }, 'text', { headers: {} }))).flat();
    expect(show(args as { key: Buffer | null; value: Buffer | null }[])).toEqual([
      [null, ''],
      [null, Buffer.from('a\nb').toString('hex')],
    ]);
  });
});
