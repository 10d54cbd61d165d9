import { isUtf8 } from 'node:buffer';

/**
 * The one lossless line format for records: `tail --output jsonl` writes it, `produce --input
 * jsonl` and `publish --dry-run` read/write it. One JSON object per line:
 *
 *   {"topic":"t","partition":0,"offset":42,"timestamp":1764211200000,
 *    "key":"user-1","value":"{\"a\":1}","headers":{"ce_type":"x","bin":{"base64":"AAE="}}}
 *
 * A payload (key, value, header value) is a JSON string when its bytes are valid UTF-8 (the string
 * is exactly those bytes), `{"base64": "..."}` when they are not, and `null` for a null payload
 * (a tombstone value, a null key). A header that occurs more than once holds an array, in order.
 * topic, partition, offset and timestamp are optional on input.
 */

export type Payload = string | null | { base64: string };

export interface RecordData {
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: number;
  readonly timestamp?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header name → one value, or several in wire order when the name repeats. */
  readonly headers: Readonly<Record<string, Buffer | null | readonly (Buffer | null)[]>>;
}

export class JsonlFormatError extends Error {}

export function encodePayload(buf: Buffer | null | undefined): Payload {
  if (buf === null || buf === undefined) return null;
  return isUtf8(buf) ? buf.toString('utf8') : { base64: buf.toString('base64') };
}

export function decodePayload(p: unknown, where: string): Buffer | null {
  if (p === null || p === undefined) return null;
  if (typeof p === 'string') return Buffer.from(p, 'utf8');
  if (typeof p === 'object' && typeof (p as { base64?: unknown }).base64 === 'string') {
    return Buffer.from((p as { base64: string }).base64, 'base64');
  }
  throw new JsonlFormatError(`${where} must be a string, null or {"base64": "..."}`);
}

/** The JSON shape of one record (also the `--json` shape of records in command results). */
export interface JsonlObject {
  topic?: string;
  partition?: number;
  offset?: number;
  timestamp?: number;
  key: Payload;
  value: Payload;
  headers: Record<string, Payload | Payload[]>;
}

export function toJsonlObject(r: RecordData): JsonlObject {
  const headers: Record<string, Payload | Payload[]> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    headers[k] = Array.isArray(v) ? v.map(encodePayload) : encodePayload(v as Buffer | null);
  }
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: encodePayload(r.key),
    value: encodePayload(r.value),
    headers,
  };
}

export function toJsonl(r: RecordData): string {
  return JSON.stringify(toJsonlObject(r));
}

export function fromJsonl(line: string, lineNo = 0): RecordData {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    throw new JsonlFormatError(`line ${lineNo}: not valid JSON`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new JsonlFormatError(`line ${lineNo}: expected a JSON object with key, value and headers`);
  }
  const o = obj as Record<string, unknown>;
  const where = (f: string) => `line ${lineNo}: ${f}`;
  const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
  if (o.headers !== undefined && o.headers !== null) {
    if (typeof o.headers !== 'object' || Array.isArray(o.headers)) {
      throw new JsonlFormatError(where('headers must be an object'));
    }
    for (const [k, v] of Object.entries(o.headers as Record<string, unknown>)) {
      headers[k] = Array.isArray(v)
        ? v.map((x) => decodePayload(x, where(`header ${k}`)))
        : decodePayload(v, where(`header ${k}`));
    }
  }
  return {
    topic: optional(o.topic, 'string', where('topic')),
    partition: optionalInt(o.partition, where('partition')),
    offset: optionalInt(o.offset, where('offset')),
    timestamp: optionalInt(o.timestamp, where('timestamp')),
    key: decodePayload(o.key, where('key')),
    value: decodePayload(o.value, where('value')),
    headers,
  };
}

function optional<T>(v: unknown, type: 'string', where: string): T | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== type) throw new JsonlFormatError(`${where} must be a ${type}`);
  return v as T;
}

function optionalInt(v: unknown, where: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n))
    throw new JsonlFormatError(`${where} must be an integer`);
  return n;
}
