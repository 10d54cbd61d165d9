import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { crc32c } from './crc32c.js';
import { varintSize, varlongSize, writeInt64, writeVarint, writeVarlong } from './bytes.js';

/**
 * Magic-2 record batch encoder (the format of KIP-98, the only one Kafka 4 accepts). Two passes
 * over the records: sizes first, then one buffer written in place, so a batch costs one
 * allocation instead of an encoder object per record and per header.
 */

const gzip = promisify(gzipCb);

export type HeaderValue = Uint8Array | string | null;
export type Headers = Readonly<Record<string, HeaderValue | readonly HeaderValue[]>>;

export interface BatchRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  /** A name that repeats holds an array: one header per element, in order. */
  readonly headers: Headers;
  /** Epoch ms (create time); records without one get the batch's `now`. */
  readonly timestamp?: number;
}

export type BatchCompression = 'none' | 'gzip';

/** attributes bits 0-2: the compression codec of the records block. */
const CODEC: Record<BatchCompression, number> = { none: 0, gzip: 1 };

/** Bytes before the first record: the fixed batch header up to and including recordsCount. */
export const BATCH_HEADER_SIZE = 61;
const CRC_AT = 17;
/** The CRC covers everything from attributes onwards (it skips baseOffset, length and epoch). */
const ATTRIBUTES_AT = 21;

const NO_HEADERS: Buffer = Buffer.from([0]);

/**
 * Headers are encoded once per distinct headers object: text input gives every record the same
 * object (from --header flags), so the common case costs one encoding per batch.
 */
function encodeHeaders(headers: Headers): Buffer {
  const entries: [Buffer, Uint8Array | null][] = [];
  for (const name in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, name)) continue;
    const v = headers[name];
    const nameBytes = Buffer.from(name, 'utf8');
    const values = Array.isArray(v) ? (v as readonly HeaderValue[]) : [v as HeaderValue];
    for (const x of values) entries.push([nameBytes, x === null || x === undefined ? null : toBytes(x)]);
  }
  if (entries.length === 0) return NO_HEADERS;
  let size = varintSize(entries.length);
  for (const [k, v] of entries) size += varintSize(k.length) + k.length + bytesSize(v);
  const out = Buffer.allocUnsafe(size);
  let pos = writeVarint(out, 0, entries.length);
  for (const [k, v] of entries) {
    pos = writeVarint(out, pos, k.length);
    out.set(k, pos);
    pos += k.length;
    pos = writeBytes(out, pos, v);
  }
  return out;
}

function toBytes(x: Uint8Array | string): Uint8Array {
  return typeof x === 'string' ? Buffer.from(x, 'utf8') : x;
}

/** A varint length (-1 for null) plus the bytes. */
function bytesSize(b: Uint8Array | null): number {
  return b === null ? 1 : varintSize(b.length) + b.length;
}

function writeBytes(buf: Buffer, pos: number, b: Uint8Array | null): number {
  if (b === null) {
    buf[pos] = 1; // zig-zag -1
    return pos + 1;
  }
  pos = writeVarint(buf, pos, b.length);
  buf.set(b, pos);
  return pos + b.length;
}

interface EncodedRecords {
  /** The records, written from `start` of `buf` on. */
  buf: Buffer;
  baseTimestamp: number;
  maxTimestamp: number;
}

/**
 * Encodes the records after `start` reserved bytes. The base timestamp is the first record's, as
 * the Java producer does; deltas may be negative (they are zig-zag varlongs).
 */
function encodeRecords(records: readonly BatchRecord[], now: number, start: number): EncodedRecords {
  const n = records.length;
  const first = records[0]!;
  const baseTimestamp = first.timestamp ?? now;
  let maxTimestamp = baseTimestamp;
  const bodySizes = new Int32Array(n);
  const headerBytes: Buffer[] = new Array<Buffer>(n);
  let lastHeaders: Headers | undefined;
  let lastBytes = NO_HEADERS;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    const ts = r.timestamp ?? now;
    if (ts > maxTimestamp) maxTimestamp = ts;
    if (r.headers !== lastHeaders) {
      lastHeaders = r.headers;
      lastBytes = encodeHeaders(r.headers);
    }
    headerBytes[i] = lastBytes;
    const body =
      1 +
      varlongSize(ts - baseTimestamp) +
      varintSize(i) +
      bytesSize(r.key) +
      bytesSize(r.value) +
      lastBytes.length;
    bodySizes[i] = body;
    total += varintSize(body) + body;
  }
  const buf = Buffer.allocUnsafe(start + total);
  let pos = start;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    pos = writeVarint(buf, pos, bodySizes[i]!);
    buf[pos++] = 0; // record attributes: unused since magic 2
    pos = writeVarlong(buf, pos, (r.timestamp ?? now) - baseTimestamp);
    pos = writeVarint(buf, pos, i);
    pos = writeBytes(buf, pos, r.key);
    pos = writeBytes(buf, pos, r.value);
    const h = headerBytes[i]!;
    if (h.length === 1) buf[pos++] = h[0]!;
    else {
      buf.set(h, pos);
      pos += h.length;
    }
  }
  return { buf, baseTimestamp, maxTimestamp };
}

export interface BatchOptions {
  compression: BatchCompression;
  /** The timestamp of records that carry none (default Date.now()). */
  now?: number;
}

/**
 * One record batch, base offset 0 (the broker assigns offsets), not transactional, no producer
 * id: producer id, epoch and base sequence are -1 as the Java producer sends them when it is not
 * idempotent, and the partition leader epoch is -1 (only the broker sets it).
 */
export async function encodeRecordBatch(
  records: readonly BatchRecord[],
  opts: BatchOptions,
): Promise<Buffer> {
  if (records.length === 0) throw new RangeError('a record batch needs at least one record');
  const now = opts.now ?? Date.now();
  let batch: Buffer;
  let meta: EncodedRecords;
  if (opts.compression === 'none') {
    meta = encodeRecords(records, now, BATCH_HEADER_SIZE);
    batch = meta.buf;
  } else {
    // Compressed: everything after recordsCount is one gzip block.
    meta = encodeRecords(records, now, 0);
    const block = await gzip(meta.buf);
    batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + block.length);
    block.copy(batch, BATCH_HEADER_SIZE);
  }
  writeBatchHeader(batch, records.length, CODEC[opts.compression], meta.baseTimestamp, meta.maxTimestamp);
  return batch;
}

function writeBatchHeader(batch: Buffer, count: number, codec: number, baseTs: number, maxTs: number): void {
  writeInt64(batch, 0, 0); // baseOffset
  batch.writeInt32BE(batch.length - 12, 8); // batchLength: from partitionLeaderEpoch to the end
  batch.writeInt32BE(-1, 12); // partitionLeaderEpoch
  batch[16] = 2; // magic
  batch.writeInt16BE(codec, ATTRIBUTES_AT); // create time, not transactional, not control
  batch.writeInt32BE(count - 1, 23); // lastOffsetDelta
  writeInt64(batch, 27, baseTs);
  writeInt64(batch, 35, maxTs);
  writeInt64(batch, 43, -1); // producerId
  batch.writeInt16BE(-1, 51); // producerEpoch
  batch.writeInt32BE(-1, 53); // baseSequence
  batch.writeInt32BE(count, 57);
  batch.writeUInt32BE(crc32c(batch, ATTRIBUTES_AT), CRC_AT);
}
