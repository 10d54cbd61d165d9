import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { usageError } from '../cli/errors.js';
import { fromJsonl, JsonlFormatError, type RecordData } from './jsonl.js';

/**
 * Lines of a stream as raw bytes, split on \n (a trailing \r is kept: it is part of the value).
 * Bytes, not strings, so binary values in text input survive unchanged.
 */
export async function* readLines(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  for await (const lines of readLineBatches(stream)) yield* lines;
}

/**
 * The same lines, one array per chunk read: a million-line file then costs a few hundred awaits
 * instead of a million (each await is a promise and a microtask).
 */
export async function* readLineBatches(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer[]> {
  let rest: Buffer | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const lines: Buffer[] = [];
    let start = 0;
    let nl = data.indexOf(10);
    if (rest) {
      // Only the line that spans the chunk border is copied, not the whole chunk.
      if (nl < 0) {
        rest = Buffer.concat([rest, data]);
        continue;
      }
      lines.push(Buffer.concat([rest, data.subarray(0, nl)]));
      start = nl + 1;
      nl = data.indexOf(10, start);
    }
    while (nl >= 0) {
      lines.push(data.subarray(start, nl));
      start = nl + 1;
      nl = data.indexOf(10, start);
    }
    rest = start < data.length ? data.subarray(start) : undefined;
    if (lines.length) yield lines;
  }
  if (rest && rest.length > 0) yield [rest];
}

export interface TextInputOptions {
  key?: string;
  keySeparator?: string;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
}

/** One record per line; with a key separator, "key<sep>value" (split at the first separator). */
export function textRecord(line: Buffer, opts: TextInputOptions): RecordData {
  let key: Buffer | null = opts.key !== undefined ? Buffer.from(opts.key) : null;
  let value = line;
  if (opts.keySeparator !== undefined) {
    const sep = Buffer.from(opts.keySeparator);
    const i = line.indexOf(sep);
    if (i >= 0) {
      key = line.subarray(0, i);
      value = line.subarray(i + sep.length);
    }
  }
  return { key, value, headers: opts.headers };
}

/**
 * Text input as it was read: whole lines of `data`, each ended by \n except perhaps the input's
 * last. produce appends them to its record batches in place (see LineCursor): an object per line
 * was most of the cost of a million short lines. textBlockRecords turns a block into records for
 * anything else.
 */
export interface TextBlock {
  readonly kind: 'text';
  readonly data: Buffer;
  readonly format: TextLineFormat;
}

/** TextInputOptions as bytes, made once per input. */
export interface TextLineFormat {
  /** --key: the key of a line without (or not split at) a separator. */
  readonly key: Buffer | null;
  readonly separator: Buffer | undefined;
  readonly headers: TextInputOptions['headers'];
}

export function textLineFormat(opts: TextInputOptions): TextLineFormat {
  return {
    key: opts.key !== undefined ? Buffer.from(opts.key) : null,
    separator: opts.keySeparator !== undefined ? Buffer.from(opts.keySeparator) : undefined,
    headers: opts.headers,
  };
}

export const isTextBlock = (x: unknown): x is TextBlock => (x as TextBlock | undefined)?.kind === 'text';

/**
 * Walks the lines of a TextBlock with textRecord's rules, as offsets into `data`, so a line costs
 * no object: after next() returns true, the value is data[valueStart, valueEnd) and the key is
 * data[keyStart, keyEnd), or the format's constant key when keyEnd is -1. Empty lines are
 * skipped, as in all text input from a file or stdin; a trailing \r belongs to the value.
 */
export class LineCursor {
  keyStart = 0;
  keyEnd = -1;
  valueStart = 0;
  valueEnd = 0;
  private at = 0;
  /** The first separator at or after `at` (Infinity: none left), found once for many lines. */
  private sepAt = -1;

  constructor(
    readonly data: Buffer,
    private readonly separator: Buffer | undefined,
  ) {}

  next(): boolean {
    const data = this.data;
    let s = this.at;
    let e = 0;
    for (;;) {
      if (s >= data.length) return false;
      e = data.indexOf(10, s);
      if (e < 0) e = data.length;
      if (e > s) break;
      s = e + 1; // an empty line
    }
    this.at = e + 1;
    this.keyEnd = -1;
    this.valueStart = s;
    this.valueEnd = e;
    const sep = this.separator;
    if (sep !== undefined) {
      if (this.sepAt < s) {
        const i = data.indexOf(sep, s);
        this.sepAt = i < 0 ? Infinity : i;
      }
      // Only a separator wholly inside the line splits it (a later line's is found again).
      if (this.sepAt + sep.length <= e) {
        this.keyStart = s;
        this.keyEnd = this.sepAt;
        this.valueStart = this.sepAt + sep.length;
      }
    }
    return true;
  }
}

/**
 * The records of a TextBlock, as textRecord makes them line by line. They hold a copy of the
 * block's bytes: a block's buffer is read into again once the next block is asked for.
 */
export function textBlockRecords(block: TextBlock): RecordData[] {
  const { format } = block;
  const data = Buffer.from(block.data);
  const out: RecordData[] = [];
  const c = new LineCursor(data, format.separator);
  while (c.next()) {
    out.push({
      key: c.keyEnd < 0 ? format.key : data.subarray(c.keyStart, c.keyEnd),
      value: data.subarray(c.valueStart, c.valueEnd),
      headers: format.headers,
    });
  }
  return out;
}

/**
 * A stream cut into blocks of whole lines: the line that spans a chunk border is copied into a
 * block of its own, the rest of each chunk is passed on as it is.
 */
export async function* readTextBlocks(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer> {
  let rest: Buffer | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    if (rest) {
      const nl = data.indexOf(10);
      if (nl < 0) {
        rest = Buffer.concat([rest, data]);
        continue;
      }
      yield Buffer.concat([rest, data.subarray(0, nl + 1)]);
      start = nl + 1;
    }
    const last = data.lastIndexOf(10);
    if (last >= start) {
      yield data.subarray(start, last + 1);
      start = last + 1;
    }
    rest = start < data.length ? data.subarray(start) : undefined;
  }
  if (rest && rest.length > 0) yield rest;
}

/**
 * A file cut into blocks of whole lines, read into two buffers in turn: a block is valid until
 * the next one is asked for, and the next read runs (on libuv's thread pool) while it is used.
 * Every new buffer is external memory to V8, which collects after each few dozen MB of it; a
 * 100 MB file read into fresh chunks cost several full GCs.
 */
export async function* readFileTextBlocks(path: string, chunkBytes = 1 << 20): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  let cur = Buffer.allocUnsafeSlow(chunkBytes);
  let spare = Buffer.allocUnsafeSlow(chunkBytes);
  /** Bytes at the start of cur that belong to a line not yet ended. */
  let kept = 0;
  let reading = file.read(cur, 0, cur.length, null);
  try {
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) {
        if (kept > 0) yield cur.subarray(0, kept);
        return;
      }
      const end = kept + bytesRead;
      const last = cur.lastIndexOf(10, end - 1);
      if (last < kept) {
        // No line ends in what was read: read on behind it, with more room once it is full.
        kept = end;
        if (kept === cur.length) {
          const bigger = Buffer.allocUnsafeSlow(cur.length * 2);
          cur.copy(bigger, 0, 0, kept);
          cur = bigger;
          spare = Buffer.allocUnsafeSlow(cur.length);
        }
        reading = file.read(cur, kept, cur.length - kept, null);
        continue;
      }
      // The unended tail starts the spare buffer, and the next read fills it up behind the tail.
      kept = end - last - 1;
      cur.copy(spare, 0, last + 1, end);
      reading = file.read(spare, kept, spare.length - kept, null);
      yield cur.subarray(0, last + 1);
      [cur, spare] = [spare, cur];
    }
  } finally {
    // A read may still be in flight (the consumer stopped early): its failure is no longer news.
    await reading.catch(() => undefined);
    await file.close();
  }
}

export type InputFormat = 'text' | 'jsonl';

export type InputSource = { values?: string[]; file?: string; stdin?: NodeJS.ReadableStream };

/** Records from values given as arguments, a file, or stdin. Empty lines are skipped in text input. */
export async function* inputRecords(
  source: InputSource,
  format: InputFormat,
  text: TextInputOptions,
): AsyncGenerator<RecordData> {
  for await (const batch of inputRecordBatches(source, format, text)) yield* batch;
}

/** The records of inputRecords, one array per chunk of input. */
export async function* inputRecordBatches(
  source: InputSource,
  format: InputFormat,
  text: TextInputOptions,
): AsyncGenerator<RecordData[]> {
  for await (const chunk of inputChunks(source, format, text)) {
    const records = isTextBlock(chunk) ? textBlockRecords(chunk) : chunk;
    if (records.length) yield records;
  }
}

/**
 * What produce reads: text from a file or stdin as TextBlocks (lines in place), everything else
 * (arguments, jsonl) as arrays of records, one per chunk of input.
 */
export async function* inputChunks(
  source: InputSource,
  format: InputFormat,
  text: TextInputOptions,
): AsyncGenerator<RecordData[] | TextBlock> {
  if (source.values?.length) {
    // A text argument is one record even when it is empty or holds a newline.
    const values = source.values.map((v) => Buffer.from(v));
    yield format === 'text'
      ? values.map((v) => textRecord(v, text))
      : values.flatMap((v, i) => jsonlRecord(v, i + 1, text) ?? []);
    return;
  }
  if (format === 'text') {
    const lines = textLineFormat(text);
    const blocks = source.file
      ? readFileTextBlocks(source.file)
      : readTextBlocks(source.stdin ?? process.stdin);
    for await (const data of blocks) yield { kind: 'text', data, format: lines };
    return;
  }
  const stream = source.file ? openFile(source.file) : (source.stdin ?? process.stdin);
  let n = 0;
  for await (const lines of readLineBatches(stream)) {
    const out: RecordData[] = [];
    for (const line of lines) {
      n++;
      const r = jsonlRecord(line, n, text);
      if (r) out.push(r);
    }
    if (out.length) yield out;
  }
}

function jsonlRecord(line: Buffer, n: number, text: TextInputOptions): RecordData | undefined {
  const json = line.toString('utf8');
  if (json.trim() === '') return undefined;
  try {
    const r = fromJsonl(json, n);
    // --header flags add to a record's own headers; a record's own value wins.
    return { ...r, headers: { ...text.headers, ...r.headers } };
  } catch (err) {
    if (err instanceof JsonlFormatError) {
      throw usageError(
        `bad jsonl input: ${err.message}`,
        'each line must be a record as written by `tail --output jsonl`',
      );
    }
    throw err;
  }
}

function openFile(path: string): NodeJS.ReadableStream {
  return createReadStream(path, { highWaterMark: 1 << 18 });
}
