import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import type { FetchedRecord } from '../partition-reader.js';
import { Reader, WireFormatError, readInt64 } from './bytes.js';

/**
 * Decodes the record batches of one partition of a Fetch response straight into FetchedRecord
 * objects: numbers for offsets and timestamps, keys, values and header values as views into the
 * response buffer (no copies). Uncompressed and gzip batches; anything else (another codec, a
 * pre-0.11 message set) raises UnsupportedBatchError so the caller can hand the response to
 * kafkajs's own decoder instead.
 */

const gunzip = promisify(gunzipCb);

export class UnsupportedBatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedBatchError';
  }
}

const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/**
 * Most records carry no headers; they all share this one frozen object instead of a fresh `{}`
 * each (a million records, a million fewer objects for the garbage collector).
 */
const NO_HEADERS: FetchedRecord['headers'] = Object.freeze({});
/** baseOffset + batchLength: what must be there to know a batch's size. */
const LOG_OVERHEAD = 12;
const HEADER_SIZE = 61;

export interface DecodeOptions {
  /**
   * Leave each record's headers undecoded until they are read (LazyHeadersRecord). For readers
   * that look at a few headers by name (replay reads 4 of the 8 CloudEvents headers): no view
   * and no name string per header, which was a third of the decoding time.
   */
  lazyHeaders?: boolean;
}

export interface DecodedRecords {
  /** Records of data batches in offset order (control batches are left out). */
  records: FetchedRecord[];
  /**
   * The offset after the last complete batch, or null when no batch was complete. Control batches
   * and records removed by compaction still move it, so a reader never asks for them again.
   */
  nextOffset: number | null;
}

/**
 * Batches in buf[start, end). Kafka may cut the last batch short when it hits the fetch's size
 * limit; a partial batch at the end is not an error, it is fetched again next time.
 */
export async function decodeRecordBatches(
  buf: Buffer,
  start: number,
  end: number,
  topic: string,
  partition: number,
  opts: DecodeOptions = {},
): Promise<DecodedRecords> {
  const records: FetchedRecord[] = [];
  let nextOffset: number | null = null;
  let pos = start;
  while (pos + LOG_OVERHEAD <= end) {
    const baseOffset = readInt64(buf, pos);
    const batchEnd = pos + LOG_OVERHEAD + buf.readInt32BE(pos + 8);
    if (batchEnd > end || pos + HEADER_SIZE > end) break;
    const magic = buf[pos + 16];
    if (magic !== 2) throw new UnsupportedBatchError(`message format v${magic} (only record batches, v2)`);
    const attributes = buf.readInt16BE(pos + 21);
    const lastOffsetDelta = buf.readInt32BE(pos + 23);
    nextOffset = baseOffset + lastOffsetDelta + 1;
    // Control batches hold transaction markers, not data (KIP-98).
    if (attributes & 0x20) {
      pos = batchEnd;
      continue;
    }
    const codec = attributes & 0x07;
    const baseTimestamp = readInt64(buf, pos + 27);
    // Log-append time (attribute bit 3): every record's timestamp is the batch's max timestamp.
    const appendTime = attributes & 0x08 ? readInt64(buf, pos + 35) : null;
    const count = buf.readInt32BE(pos + 57);
    let data = buf;
    let from = pos + HEADER_SIZE;
    let to = batchEnd;
    if (codec === 1) {
      data = await gunzip(buf.subarray(from, batchEnd));
      from = 0;
      to = data.length;
    } else if (codec !== 0) {
      throw new UnsupportedBatchError(`${CODEC_NAMES[codec] ?? `codec ${codec}`} compression`);
    }
    decodeRecords(
      data,
      from,
      to,
      count,
      baseOffset,
      baseTimestamp,
      appendTime,
      topic,
      partition,
      records,
      opts.lazyHeaders ?? false,
    );
    pos = batchEnd;
  }
  return { records, nextOffset };
}

/**
 * The hot loop: one pass, positions in locals, the one-byte varint case inline (lengths and
 * deltas of small records all fit in one byte), longer varints through the helpers below.
 */
function decodeRecords(
  buf: Buffer,
  pos: number,
  end: number,
  count: number,
  baseOffset: number,
  baseTimestamp: number,
  appendTime: number | null,
  topic: string,
  partition: number,
  out: FetchedRecord[],
  lazyHeaders: boolean,
): void {
  for (let i = 0; i < count; i++) {
    let u = buf[pos]!;
    if (u < 0x80 && pos < end) pos++;
    else {
      u = uvarintAt(buf, pos, end);
      pos = next;
    }
    const length = (u >>> 1) ^ -(u & 1);
    const recordEnd = pos + length;
    if (length < 2 || recordEnd > end)
      throw new WireFormatError(`record length ${length} runs past its batch`);
    pos++; // record attributes: unused
    let timestampDelta: number;
    u = buf[pos]!;
    if (u < 0x80) {
      pos++;
      timestampDelta = (u >>> 1) ^ -(u & 1);
    } else {
      timestampDelta = varlongAt(buf, pos, recordEnd);
      pos = next;
    }
    u = buf[pos]!;
    if (u < 0x80) pos++;
    else {
      u = uvarintAt(buf, pos, recordEnd);
      pos = next;
    }
    const offsetDelta = (u >>> 1) ^ -(u & 1);
    u = buf[pos]!;
    if (u < 0x80) pos++;
    else {
      u = uvarintAt(buf, pos, recordEnd);
      pos = next;
    }
    const keyLength = (u >>> 1) ^ -(u & 1);
    let key: Buffer | null = null;
    if (keyLength >= 0) {
      if (pos + keyLength > recordEnd) throw new WireFormatError('record key runs past the record');
      key = buf.subarray(pos, (pos += keyLength));
    }
    u = buf[pos]!;
    if (u < 0x80) pos++;
    else {
      u = uvarintAt(buf, pos, recordEnd);
      pos = next;
    }
    const valueLength = (u >>> 1) ^ -(u & 1);
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      if (pos + valueLength > recordEnd) throw new WireFormatError('record value runs past the record');
      value = buf.subarray(pos, (pos += valueLength));
    }
    if (lazyHeaders) {
      // The header section runs to the record's end; it is read when asked for.
      const timestamp = appendTime ?? baseTimestamp + timestampDelta;
      out.push(
        new LazyHeadersRecord(
          topic,
          partition,
          baseOffset + offsetDelta,
          timestamp,
          key,
          value,
          buf,
          pos,
          recordEnd,
        ),
      );
      pos = recordEnd;
      continue;
    }
    let headers: FetchedRecord['headers'] = NO_HEADERS;
    if (buf[pos] !== 0) {
      const r = new Reader(buf, pos, recordEnd);
      const n = r.varint();
      if (n > 0) headers = decodeHeaders(r, n);
      pos = r.pos;
    } else pos++;
    if (pos !== recordEnd) throw new WireFormatError(`record ends at ${pos}, its length says ${recordEnd}`);
    out.push({
      topic,
      partition,
      offset: baseOffset + offsetDelta,
      timestamp: appendTime ?? baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
}

/** Where the last uvarintAt/varlongAt stopped (a second return value without an allocation). */
let next = 0;

function uvarintAt(buf: Buffer, pos: number, end: number): number {
  let u = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= end) break;
    const b = buf[pos++]!;
    u |= (b & 0x7f) << shift;
    if (b < 0x80) {
      next = pos;
      return u >>> 0;
    }
  }
  throw new WireFormatError('malformed varint');
}

function varlongAt(buf: Buffer, pos: number, end: number): number {
  const r = new Reader(buf, pos, end);
  const v = r.varlong();
  next = r.pos;
  return v;
}

/** A header name that repeats becomes an array of its values, in wire order. */
function decodeHeaders(r: Reader, count: number): Record<string, Buffer | null | (Buffer | null)[]> {
  const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
  for (let i = 0; i < count; i++) {
    const nameLength = r.varint();
    if (nameLength < 0) throw new WireFormatError('header with a null name');
    r.need(nameLength);
    const name = r.buf.toString('utf8', r.pos, (r.pos += nameLength));
    const valueLength = r.varint();
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      r.need(valueLength);
      value = r.buf.subarray(r.pos, (r.pos += valueLength));
    }
    if (!Object.prototype.hasOwnProperty.call(headers, name)) {
      if (name !== '__proto__') headers[name] = value;
      // A header named "__proto__" stays data instead of becoming the object's prototype.
      else
        Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
    } else {
      const prev = headers[name];
      if (Array.isArray(prev)) prev.push(value);
      else headers[name] = [prev as Buffer | null, value];
    }
  }
  return headers;
}

/** Header names as bytes, for comparing against the wire without decoding it. */
const nameBytes = new Map<string, Buffer>();

/**
 * A fetched record whose header section [headersAt, end) stays raw until it is read: `headers`
 * decodes it all once; headerText(name) scans it for one name without allocating.
 */
export class LazyHeadersRecord implements FetchedRecord {
  #headers: FetchedRecord['headers'] | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    readonly timestamp: number,
    readonly key: Buffer | null,
    readonly value: Buffer | null,
    private readonly buf: Buffer,
    private readonly headersAt: number,
    private readonly end: number,
  ) {}

  get headers(): FetchedRecord['headers'] {
    if (this.#headers === undefined) {
      const r = new Reader(this.buf, this.headersAt, this.end);
      const n = r.varint();
      this.#headers = n > 0 ? decodeHeaders(r, n) : NO_HEADERS;
      if (r.pos !== this.end)
        throw new WireFormatError(`record ends at ${r.pos}, its length says ${this.end}`);
    }
    return this.#headers;
  }

  /** The first value of header `name` as UTF-8 text; undefined when absent or null. */
  headerText(name: string): string | undefined {
    let want = nameBytes.get(name);
    if (!want) nameBytes.set(name, (want = Buffer.from(name, 'utf8')));
    const buf = this.buf;
    const end = this.end;
    let pos = this.headersAt;
    // Varints read in place (no Reader object: this runs several times per record).
    const n = zigzagAt(buf, pos, end);
    pos = next;
    for (let i = 0; i < n; i++) {
      const nameLength = zigzagAt(buf, pos, end);
      pos = next;
      if (nameLength < 0 || pos + nameLength > end)
        throw new WireFormatError('header name runs past the record');
      let same = nameLength === want.length;
      for (let j = 0; same && j < nameLength; j++) same = buf[pos + j] === want[j];
      pos += nameLength;
      const valueLength = zigzagAt(buf, pos, end);
      pos = next;
      if (valueLength > 0 && pos + valueLength > end)
        throw new WireFormatError('header value runs past the record');
      if (same) return valueLength < 0 ? undefined : buf.toString('utf8', pos, pos + valueLength);
      if (valueLength > 0) pos += valueLength;
    }
    return undefined;
  }
}

/** A signed (zigzag) varint of up to 32 bits at pos; the position after it is left in `next`. */
function zigzagAt(buf: Buffer, pos: number, end: number): number {
  const b = buf[pos];
  let u: number;
  if (b !== undefined && b < 0x80 && pos < end) {
    next = pos + 1;
    u = b;
  } else u = uvarintAt(buf, pos, end);
  return (u >>> 1) ^ -(u & 1);
}

/** A header's first value as text, from any fetched record (lazy ones without decoding all). */
export function headerText(r: FetchedRecord, name: string): string | undefined {
  if (r instanceof LazyHeadersRecord) return r.headerText(name);
  const v = r.headers[name];
  const one = Array.isArray(v) ? (v[0] as Buffer | null) : (v as Buffer | null | undefined);
  return one ? one.toString('utf8') : undefined;
}
