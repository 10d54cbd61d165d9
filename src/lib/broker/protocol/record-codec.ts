/**
 * The records inside a magic-2 batch: building a batch (for tests, seeds and anyone who needs
 * to make one) and decoding its records (the log needs per-record timestamps for
 * ListOffsets-by-time). The broker otherwise never looks inside a batch: it stores and serves
 * the bytes as the producer sent them.
 *
 *   record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 *           keyLength varint | key | valueLength varint | value | headerCount varint | headers
 *   header: keyLength varint | key (utf-8) | valueLength varint | value
 *
 * Varints here are zig-zag. We do the arithmetic in doubles: exact to 2^53, far beyond any
 * delta or length a batch can hold.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32c } from './crc32c.js';
import {
  ATTRIBUTES,
  BASE_TIMESTAMP,
  COMPRESSION_MASK,
  CONTROL_FLAG,
  Compression,
  CRC,
  MAX_TIMESTAMP,
  RECORDS,
  RECORDS_COUNT,
  RecordBatchError,
  TIMESTAMP_TYPE_FLAG,
  TRANSACTIONAL_FLAG,
  batchSizeAt,
} from './record-batch.js';

export type Bytes = Buffer | string | null;

export interface RecordInput {
  readonly key?: Bytes;
  readonly value: Bytes;
  readonly headers?: readonly { readonly key: string; readonly value: Bytes }[];
  /** Milliseconds after the batch's base timestamp (default 0). */
  readonly timestampDelta?: number;
}

export interface BuildBatchOptions {
  readonly baseOffset?: bigint;
  /** The batch's baseTimestamp (ms). Default Date.now(). */
  readonly timestamp?: bigint | number;
  readonly records: readonly RecordInput[];
  readonly producerId?: bigint;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly partitionLeaderEpoch?: number;
  /** Only gzip can be built without a dependency; enough to exercise compressed paths. */
  readonly compression?: 'none' | 'gzip';
  readonly logAppendTime?: boolean;
  readonly transactional?: boolean;
  readonly control?: boolean;
}

export interface DecodedRecord {
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: { key: string; value: Buffer | null }[];
}

function toBuf(b: Bytes | undefined): Buffer | null {
  if (b === null || b === undefined) return null;
  return typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
}

function varintSize(n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  let size = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    size++;
  }
  return size;
}

function writeVarint(buf: Buffer, pos: number, n: number): number {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 128) {
    buf[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[pos++] = z;
  return pos;
}

function bytesField(b: Buffer | null): number {
  return b === null ? varintSize(-1) : varintSize(b.length) + b.length;
}

function writeBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, b.length);
  b.copy(buf, pos);
  return pos + b.length;
}

function encodeRecords(records: readonly RecordInput[]): Buffer {
  const prepared = records.map((r, i) => {
    const key = toBuf(r.key);
    const value = toBuf(r.value);
    const headers = (r.headers ?? []).map((h) => ({
      key: Buffer.from(h.key, 'utf8'),
      value: toBuf(h.value),
    }));
    const tsDelta = r.timestampDelta ?? 0;
    let body = 1 + varintSize(tsDelta) + varintSize(i) + bytesField(key) + bytesField(value);
    body += varintSize(headers.length);
    for (const h of headers) body += bytesField(h.key) + bytesField(h.value);
    return { key, value, headers, tsDelta, body };
  });
  let total = 0;
  for (const p of prepared) total += varintSize(p.body) + p.body;
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  prepared.forEach((p, i) => {
    pos = writeVarint(out, pos, p.body);
    out[pos++] = 0; // record attributes: unused in magic 2
    pos = writeVarint(out, pos, p.tsDelta);
    pos = writeVarint(out, pos, i);
    pos = writeBytes(out, pos, p.key);
    pos = writeBytes(out, pos, p.value);
    pos = writeVarint(out, pos, p.headers.length);
    for (const h of p.headers) {
      pos = writeBytes(out, pos, h.key);
      pos = writeBytes(out, pos, h.value);
    }
  });
  return out;
}

/** Builds one magic-2 batch with a correct CRC-32C. */
export function buildRecordBatch(o: BuildBatchOptions): Buffer {
  if (o.records.length === 0) throw new RangeError('a record batch needs at least one record');
  const baseTs = BigInt(o.timestamp ?? Date.now());
  let maxDelta = 0;
  for (const r of o.records) maxDelta = Math.max(maxDelta, r.timestampDelta ?? 0);
  let body = encodeRecords(o.records);
  let attributes = 0;
  if (o.compression === 'gzip') {
    body = gzipSync(body);
    attributes |= Compression.gzip;
  }
  if (o.logAppendTime) attributes |= TIMESTAMP_TYPE_FLAG;
  if (o.transactional) attributes |= TRANSACTIONAL_FLAG;
  if (o.control) attributes |= CONTROL_FLAG;
  const size = RECORDS + body.length;
  const b = Buffer.allocUnsafe(size);
  b.writeBigInt64BE(o.baseOffset ?? 0n, 0);
  b.writeInt32BE(size - 12, 8);
  b.writeInt32BE(o.partitionLeaderEpoch ?? -1, 12);
  b.writeInt8(2, 16);
  b.writeInt16BE(attributes, ATTRIBUTES);
  b.writeInt32BE(o.records.length - 1, 23);
  b.writeBigInt64BE(baseTs, BASE_TIMESTAMP);
  b.writeBigInt64BE(baseTs + BigInt(maxDelta), MAX_TIMESTAMP);
  b.writeBigInt64BE(o.producerId ?? -1n, 43);
  b.writeInt16BE(o.producerEpoch ?? -1, 51);
  b.writeInt32BE(o.baseSequence ?? -1, 53);
  b.writeInt32BE(o.records.length, 57);
  body.copy(b, RECORDS);
  b.writeUInt32BE(crc32c(b, ATTRIBUTES, size), CRC);
  return b;
}

/** A bounds-checked zig-zag varint reader over one batch's records section. */
class VarReader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {}

  varint(): number {
    let z = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end)
        throw new RecordBatchError('bad-records', this.pos, 'record varint runs past the batch');
      const b = this.buf[this.pos++]!;
      z += (b & 0x7f) * mul;
      if (b < 0x80) return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      mul *= 128;
    }
    throw new RecordBatchError('bad-records', this.pos, 'record varint longer than 10 bytes');
  }

  bytes(): Buffer | null {
    const n = this.varint();
    if (n < 0) return null;
    if (n > this.end - this.pos)
      throw new RecordBatchError('bad-records', this.pos, 'record field runs past the batch');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

/** The records section of the batch at buf[pos], inflated when gzip; throws for other codecs. */
function recordsSection(
  buf: Buffer,
  pos: number,
  size: number,
): { data: Buffer; start: number; end: number } {
  const codec = buf.readInt16BE(pos + ATTRIBUTES) & COMPRESSION_MASK;
  if (codec === Compression.gzip) {
    const data = gunzipSync(buf.subarray(pos + RECORDS, pos + size));
    return { data, start: 0, end: data.length };
  }
  if (codec !== Compression.none) {
    throw new RecordBatchError('unsupported-compression', pos, `batch at ${pos}: compression codec ${codec}`);
  }
  return { data: buf, start: pos + RECORDS, end: pos + size };
}

/**
 * Visits each record's offset and timestamp (as doubles) without decoding keys, values or
 * headers — what ListOffsets-by-time needs, with no allocation per record. `visit` returning
 * true stops the walk. Same codec support and LogAppendTime rule as decodeRecords.
 */
export function scanRecordTimes(
  buf: Buffer,
  pos: number,
  visit: (offset: number, timestamp: number) => boolean,
): void {
  const size = batchSizeAt(buf, pos);
  const { data, start, end } = recordsSection(buf, pos, size);
  const baseOffset = Number(buf.readBigInt64BE(pos));
  const baseTs = Number(buf.readBigInt64BE(pos + BASE_TIMESTAMP));
  const appendTs =
    buf.readInt16BE(pos + ATTRIBUTES) & TIMESTAMP_TYPE_FLAG
      ? Number(buf.readBigInt64BE(pos + MAX_TIMESTAMP))
      : null;
  const count = buf.readInt32BE(pos + RECORDS_COUNT);
  const r = new VarReader(data, start, end);
  for (let i = 0; i < count; i++) {
    const len = r.varint();
    const recEnd = r.pos + len;
    if (len < 0 || recEnd > end)
      throw new RecordBatchError('bad-records', r.pos, `record ${i} length ${len} overruns`);
    r.pos++; // attributes
    const tsDelta = r.varint();
    const offsetDelta = r.varint();
    if (visit(baseOffset + offsetDelta, appendTs ?? baseTs + tsDelta)) return;
    r.pos = recEnd;
  }
}

/**
 * Decodes every record of the batch at buf[pos]. Handles uncompressed and gzip batches;
 * snappy, lz4 and zstd would need libraries we do not ship, so they throw
 * RecordBatchError('unsupported-compression'). With LogAppendTime every record's timestamp is
 * the batch's maxTimestamp (the broker's append time), as Kafka defines it.
 */
export function decodeRecords(buf: Buffer, pos = 0): DecodedRecord[] {
  const size = batchSizeAt(buf, pos);
  const attributes = buf.readInt16BE(pos + ATTRIBUTES);
  const { data, start, end } = recordsSection(buf, pos, size);
  const baseOffset = buf.readBigInt64BE(pos);
  const baseTs = buf.readBigInt64BE(pos + BASE_TIMESTAMP);
  const logAppendTs = attributes & TIMESTAMP_TYPE_FLAG ? buf.readBigInt64BE(pos + MAX_TIMESTAMP) : null;
  const count = buf.readInt32BE(pos + RECORDS_COUNT);
  const r = new VarReader(data, start, end);
  const out: DecodedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const len = r.varint();
    const recEnd = r.pos + len;
    if (len < 0 || recEnd > end)
      throw new RecordBatchError('bad-records', r.pos, `record ${i} length ${len} overruns`);
    r.pos++; // attributes
    const tsDelta = r.varint();
    const offsetDelta = r.varint();
    const key = r.bytes();
    const value = r.bytes();
    const headerCount = r.varint();
    const headers: DecodedRecord['headers'] = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = r.bytes();
      headers.push({ key: hk === null ? '' : hk.toString('utf8'), value: r.bytes() });
    }
    if (r.pos !== recEnd)
      throw new RecordBatchError('bad-records', r.pos, `record ${i} length disagrees with its fields`);
    out.push({
      offset: baseOffset + BigInt(offsetDelta),
      timestamp: logAppendTs ?? baseTs + BigInt(tsDelta),
      key,
      value,
      headers,
    });
  }
  return out;
}
