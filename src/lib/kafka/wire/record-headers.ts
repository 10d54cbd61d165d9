import { varintSize, writeVarint } from './bytes.js';

/**
 * Record headers in their magic-2 wire form: a varint count, then per header a varint-length
 * name and a varint-length value (-1 for null), in order. Names repeat on every record, so their
 * encoded form is cached.
 */

export type HeaderValue = Uint8Array | string | null;
export type Headers = Readonly<Record<string, HeaderValue | readonly HeaderValue[]>>;

/**
 * A record's headers already in wire form, as a generator can write them while it builds the
 * record. `of` is the headers object the bytes encode: a copy of the record with other headers
 * (`{ ...r, headers }`) then no longer matches, and its headers are encoded afresh.
 */
export interface WireHeaders {
  readonly of: object;
  readonly bytes: Uint8Array;
}

export const NO_HEADERS: Buffer = Buffer.from([0]);

/** Name → its varint length and UTF-8 bytes. */
const names = new Map<string, Buffer>();

function encodedName(name: string): Buffer {
  let b = names.get(name);
  if (b === undefined) {
    const bytes = Buffer.from(name, 'utf8');
    b = Buffer.allocUnsafe(varintSize(bytes.length) + bytes.length);
    bytes.copy(b, writeVarint(b, 0, bytes.length));
    // Header names are few in practice; a stream of distinct names must not grow this forever.
    if (names.size >= 4096) names.clear();
    names.set(name, b);
  }
  return b;
}

function valueSize(x: HeaderValue | undefined): number {
  if (x === null || x === undefined) return 1;
  const n = typeof x === 'string' ? Buffer.byteLength(x, 'utf8') : x.length;
  return varintSize(n) + n;
}

function writeValue(out: Buffer, pos: number, x: HeaderValue | undefined): number {
  if (x === null || x === undefined) {
    out[pos] = 1; // zig-zag -1: a null value
    return pos + 1;
  }
  const b = typeof x === 'string' ? Buffer.from(x, 'utf8') : x;
  pos = writeVarint(out, pos, b.length);
  out.set(b, pos);
  return pos + b.length;
}

/** The wire form of `headers` (own properties, in order). */
export function encodeHeaders(headers: Headers): Buffer {
  let count = 0;
  let size = 0;
  for (const name in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, name)) continue;
    const v = headers[name];
    const nameSize = encodedName(name).length;
    if (Array.isArray(v)) {
      for (const x of v as readonly HeaderValue[]) {
        count++;
        size += nameSize + valueSize(x);
      }
    } else {
      count++;
      size += nameSize + valueSize(v as HeaderValue);
    }
  }
  if (count === 0) return NO_HEADERS;
  const out = Buffer.allocUnsafe(varintSize(count) + size);
  let pos = writeVarint(out, 0, count);
  for (const name in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, name)) continue;
    const v = headers[name];
    const n = encodedName(name);
    for (const x of Array.isArray(v) ? (v as readonly HeaderValue[]) : [v as HeaderValue]) {
      out.set(n, pos);
      pos = writeValue(out, pos + n.length, x);
    }
  }
  return out;
}
