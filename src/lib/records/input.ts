import { createReadStream } from 'node:fs';
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

/** The records of inputRecords, one array per chunk of input (what produce reads, for speed). */
export async function* inputRecordBatches(
  source: InputSource,
  format: InputFormat,
  text: TextInputOptions,
): AsyncGenerator<RecordData[]> {
  const batches: AsyncIterable<Buffer[]> | Iterable<Buffer[]> = source.values?.length
    ? [source.values.map((v) => Buffer.from(v))]
    : readLineBatches(source.file ? openFile(source.file) : (source.stdin ?? process.stdin));
  let n = 0;
  for await (const lines of batches) {
    const out: RecordData[] = [];
    for (const line of lines) {
      n++;
      const r = lineRecord(line, n, source, format, text);
      if (r) out.push(r);
    }
    if (out.length) yield out;
  }
}

function lineRecord(
  line: Buffer,
  n: number,
  source: InputSource,
  format: InputFormat,
  text: TextInputOptions,
): RecordData | undefined {
  if (format === 'jsonl') {
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
  if (line.length === 0 && !source.values?.length) return undefined;
  return textRecord(line, text);
}

function openFile(path: string): NodeJS.ReadableStream {
  const s = createReadStream(path, { highWaterMark: 1 << 18 });
  return s;
}
