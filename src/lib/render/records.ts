import { isUtf8 } from 'node:buffer';
import type { FetchedRecord } from '../kafka/partition-reader.js';
import { toJsonl } from '../records/jsonl.js';
import { usageError } from '../cli/errors.js';
import { output } from './output.js';

export const recordOutputs = ['pretty', 'table', 'jsonl', 'raw'] as const;
export type RecordOutput = (typeof recordOutputs)[number];

export type RecordRenderer = (r: FetchedRecord) => string;

function text(buf: Buffer | null): string {
  if (buf === null) return 'null';
  return isUtf8(buf) ? buf.toString('utf8') : `base64:${buf.toString('base64')}`;
}

/** A JSON value printed compactly on one line; anything else as text. */
function compactValue(buf: Buffer | null): string {
  if (buf === null) return 'null';
  const s = text(buf);
  if (s.startsWith('{') || s.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(s));
    } catch {
      return s;
    }
  }
  return s;
}

function headerText(h: FetchedRecord['headers']): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(h)) {
    for (const x of Array.isArray(v) ? v : [v]) parts.push(`${k}=${text(x as Buffer | null)}`);
  }
  return parts.join(' ');
}

/**
 * --format directives: %t topic, %p partition, %o offset, %k key, %v value, %h headers,
 * %T time (ISO 8601 UTC), %s timestamp (epoch ms), %% a percent sign; \n and \t escapes.
 */
export function formatRenderer(format: string): RecordRenderer {
  const parts: (string | ((r: FetchedRecord) => string))[] = [];
  const fmt = format.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  let lit = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      lit += c;
      continue;
    }
    const d = fmt[++i];
    const fn = directives[d ?? ''];
    if (d === '%') lit += '%';
    else if (fn) {
      if (lit) parts.push(lit);
      lit = '';
      parts.push(fn);
    } else throw usageError(`--format: unknown directive %${d ?? ''}`, 'use %t %p %o %k %v %h %T %s %%');
  }
  if (lit) parts.push(lit);
  return (r) => parts.map((p) => (typeof p === 'string' ? p : p(r))).join('');
}

const directives: Record<string, (r: FetchedRecord) => string> = {
  t: (r) => r.topic,
  p: (r) => String(r.partition),
  o: (r) => String(r.offset),
  k: (r) => text(r.key),
  v: (r) => text(r.value),
  h: (r) => headerText(r.headers),
  T: (r) => new Date(r.timestamp).toISOString(),
  s: (r) => String(r.timestamp),
};

/**
 * `--output raw` for a whole fetch: each value's bytes as they are, one per line (a null value is
 * an empty line), copied into one buffer. No UTF-8 decoding and re-encoding, so binary values pass
 * through unchanged and a million records cost a few copies rather than a million strings.
 */
export function rawChunk(records: readonly FetchedRecord[]): Buffer {
  let size = records.length;
  for (const r of records) if (r.value !== null) size += r.value.length;
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const r of records) {
    if (r.value !== null) pos += r.value.copy(out, pos);
    out[pos++] = 10;
  }
  return out;
}

export function recordRenderer(kind: RecordOutput, multiTopic: boolean): RecordRenderer {
  switch (kind) {
    case 'jsonl':
      return (r) => toJsonl(r);
    case 'raw':
      return (r) => (r.value === null ? '' : r.value.toString('utf8'));
    case 'table':
      return (r) =>
        [
          new Date(r.timestamp).toISOString(),
          `${multiTopic ? r.topic + '/' : ''}${r.partition}`,
          r.offset,
          text(r.key),
          compactValue(r.value),
        ].join('\t');
    case 'pretty': {
      const c = output().color;
      return (r) => {
        const h = headerText(r.headers);
        return (
          `${c.dim(new Date(r.timestamp).toISOString())} ${c.cyan(`${multiTopic ? r.topic + ' ' : ''}${r.partition}:${r.offset}`)} ` +
          `${c.yellow(text(r.key))} ${compactValue(r.value)}${h ? ' ' + c.dim(h) : ''}`
        );
      };
    }
  }
}
