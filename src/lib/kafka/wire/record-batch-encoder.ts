import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { crc32c } from './crc32c.js';
import { varintSize, varlongSize, writeInt64, writeVarint, writeVarlong } from './bytes.js';
import { type Headers, type WireHeaders, NO_HEADERS, encodeHeaders } from './record-headers.js';

export type { HeaderValue, Headers, WireHeaders } from './record-headers.js';

/**
 * Magic-2 record batch encoder (the format of KIP-98, the only one Kafka 4 accepts). A builder
 * appends each record to one growing buffer as it comes, so a record object can die young: a
 * producer that queued record objects until its request was due kept hundreds of thousands alive
 * across garbage collections, and the collector copied each of them once or twice.
 */

const gzip = promisify(gzipCb);

export interface BatchRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  /** A name that repeats holds an array: one header per element, in order. */
  readonly headers: Headers;
  /** Epoch ms (create time); records without one get the `now` they are appended with. */
  readonly timestamp?: number;
  /** `headers` already encoded (see WireHeaders); used only while it belongs to this `headers`. */
  readonly wireHeaders?: WireHeaders;
}

export type BatchCompression = 'none' | 'gzip';

/** attributes bits 0-2: the compression codec of the records block. */
const CODEC: Record<BatchCompression, number> = { none: 0, gzip: 1 };

/** Bytes before the first record: the fixed batch header up to and including recordsCount. */
export const BATCH_HEADER_SIZE = 61;
const CRC_AT = 17;
/** The CRC covers everything from attributes onwards (it skips baseOffset, length and epoch). */
const ATTRIBUTES_AT = 21;

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

/**
 * One record batch under construction, base offset 0 (the broker assigns offsets), not
 * transactional. The base timestamp is the first record's, as the Java producer does; deltas may
 * be negative (they are zig-zag varlongs).
 */
export class RecordBatchBuilder {
  private buf: Buffer;
  private pos = BATCH_HEADER_SIZE;
  private n = 0;
  private baseTimestamp = 0;
  private maxTimestamp = 0;
  /** The last distinct headers object and its encoding: text input shares one object. */
  private lastHeaders: Headers | undefined;
  private lastHeaderBytes: Uint8Array = NO_HEADERS;

  constructor(
    initialBytes = 16 * 1024,
    /** Where the buffer comes from and goes back to (release()); else a fresh one. */
    private readonly pool?: BatchBufferPool,
  ) {
    const bytes = Math.max(BATCH_HEADER_SIZE + 64, initialBytes);
    // Its own ArrayBuffer (never a slice of Node's shared pool), so a finished batch can be
    // transferred to another thread.
    this.buf = pool ? pool.take(bytes) : Buffer.allocUnsafeSlow(bytes);
  }

  /**
   * Hands the buffer back to the pool: the finished batch must no longer be in use (its request
   * answered). Neither the builder nor its batch may be used afterwards.
   */
  release(): void {
    this.pool?.give(this.buf);
  }

  get count(): number {
    return this.n;
  }

  /** Bytes of the batch so far (uncompressed). */
  get size(): number {
    return this.pos;
  }

  /** `now`: the timestamp of a record that carries none. */
  append(r: BatchRecord, now: number): void {
    let h: Uint8Array;
    const wire = r.wireHeaders;
    if (wire !== undefined && wire.of === r.headers) h = wire.bytes;
    else h = this.headerBytes(r.headers);
    const v = r.value;
    this.put(r.timestamp ?? now, r.key, v, 0, v === null ? 0 : v.length, h);
  }

  /**
   * A record whose value is bytes [start, end) of `src`, stamped `now`: text input appends its
   * lines in place this way, with no object per line.
   */
  appendSlice(
    key: Uint8Array | null,
    src: Uint8Array,
    start: number,
    end: number,
    headers: Headers,
    now: number,
  ): void {
    this.put(now, key, src, start, end, this.headerBytes(headers));
  }

  /** The wire form of `headers`; text input shares one object, so the last one is kept. */
  private headerBytes(headers: Headers): Uint8Array {
    if (headers !== this.lastHeaders) {
      this.lastHeaderBytes = encodeHeaders(headers);
      this.lastHeaders = headers;
    }
    return this.lastHeaderBytes;
  }

  /** Writes one record: the value is src[start, end), or null when src is. */
  private put(
    ts: number,
    key: Uint8Array | null,
    src: Uint8Array | null,
    start: number,
    end: number,
    h: Uint8Array,
  ): void {
    if (this.n === 0) this.baseTimestamp = this.maxTimestamp = ts;
    else if (ts > this.maxTimestamp) this.maxTimestamp = ts;
    const delta = ts - this.baseTimestamp;
    const len = end - start;
    const valueSize = src === null ? 1 : varintSize(len) + len;
    const body = 1 + varlongSize(delta) + varintSize(this.n) + bytesSize(key) + valueSize + h.length;
    const need = this.pos + 5 + body;
    if (need > this.buf.length) this.grow(need);
    const buf = this.buf;
    let pos = writeVarint(buf, this.pos, body);
    buf[pos++] = 0; // record attributes: unused since magic 2
    pos = writeVarlong(buf, pos, delta);
    pos = writeVarint(buf, pos, this.n);
    pos = writeBytes(buf, pos, key);
    if (src === null)
      buf[pos++] = 1; // zig-zag -1: a null value (a tombstone)
    else {
      pos = writeVarint(buf, pos, len);
      // A plain Uint8Array view is the cheapest way to hand a range to set(): Buffer's subarray()
      // builds a Buffer, which measured several times slower per short record.
      if (start === 0 && end === src.length) buf.set(src, pos);
      else buf.set(new Uint8Array(src.buffer, src.byteOffset + start, len), pos);
      pos += len;
    }
    if (h.length === 1) buf[pos++] = h[0]!;
    else {
      buf.set(h, pos);
      pos += h.length;
    }
    this.pos = pos;
    this.n++;
  }

  private grow(need: number): void {
    const bytes = Math.max(need, this.buf.length * 2);
    const next = this.pool ? this.pool.take(bytes) : Buffer.allocUnsafeSlow(bytes);
    this.buf.copy(next, 0, 0, this.pos);
    this.pool?.give(this.buf);
    this.buf = next;
  }

  /** finish('none'), synchronously. */
  finishUncompressed(producer?: ProducerFields): Buffer {
    if (this.n === 0) throw new RangeError('a record batch needs at least one record');
    const batch = this.buf.subarray(0, this.pos);
    writeBatchHeader(batch, this.n, CODEC.none, this.baseTimestamp, this.maxTimestamp, producer);
    return batch;
  }

  /**
   * The finished batch. Producer id, epoch and base sequence are those given (an idempotent
   * producer), else -1 as the Java producer sends them when it is not idempotent; the partition
   * leader epoch is -1 (only the broker sets it). The builder must not be used afterwards.
   */
  async finish(compression: BatchCompression, producer?: ProducerFields): Promise<Buffer> {
    if (compression === 'none') return this.finishUncompressed(producer);
    if (this.n === 0) throw new RangeError('a record batch needs at least one record');
    // Compressed: everything after recordsCount is one gzip block.
    const block = await gzip(this.buf.subarray(BATCH_HEADER_SIZE, this.pos));
    const batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + block.length);
    block.copy(batch, BATCH_HEADER_SIZE);
    writeBatchHeader(batch, this.n, CODEC[compression], this.baseTimestamp, this.maxTimestamp, producer);
    return batch;
  }
}

/**
 * Spare batch buffers, for a producer that builds many batches. V8 counts every ArrayBuffer as
 * external memory and answers each few dozen MB of new ones with a full mark-compact: a million
 * 100-byte records (110 MB of batches) cost seventeen of them and an eighth of the run.
 */
export class BatchBufferPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly keep = 64) {}

  /** A buffer of at least `bytes`. */
  take(bytes: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const b = this.free[i]!;
      if (b.length >= bytes) {
        this.free[i] = this.free[this.free.length - 1]!;
        this.free.pop();
        return b;
      }
    }
    return Buffer.allocUnsafeSlow(bytes);
  }

  give(buf: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buf);
  }
}

/** An idempotent producer's identity and the batch's first sequence number (KIP-98). */
export interface ProducerFields {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
}

export interface BatchOptions {
  compression: BatchCompression;
  /** The timestamp of records that carry none (default Date.now()). */
  now?: number;
}

/** One record batch of `records` (see RecordBatchBuilder). */
export async function encodeRecordBatch(
  records: readonly BatchRecord[],
  opts: BatchOptions,
): Promise<Buffer> {
  if (records.length === 0) throw new RangeError('a record batch needs at least one record');
  const now = opts.now ?? Date.now();
  const b = new RecordBatchBuilder();
  for (const r of records) b.append(r, now);
  return b.finish(opts.compression);
}

function writeBatchHeader(
  batch: Buffer,
  count: number,
  codec: number,
  baseTs: number,
  maxTs: number,
  producer?: ProducerFields,
): void {
  writeInt64(batch, 0, 0); // baseOffset
  batch.writeInt32BE(batch.length - 12, 8); // batchLength: from partitionLeaderEpoch to the end
  batch.writeInt32BE(-1, 12); // partitionLeaderEpoch
  batch[16] = 2; // magic
  batch.writeInt16BE(codec, ATTRIBUTES_AT); // create time, not transactional, not control
  batch.writeInt32BE(count - 1, 23); // lastOffsetDelta
  writeInt64(batch, 27, baseTs);
  writeInt64(batch, 35, maxTs);
  writeInt64(batch, 43, producer?.producerId ?? -1);
  batch.writeInt16BE(producer?.producerEpoch ?? -1, 51);
  batch.writeInt32BE(producer?.baseSequence ?? -1, 53);
  batch.writeInt32BE(count, 57);
  batch.writeUInt32BE(crc32c(batch, ATTRIBUTES_AT), CRC_AT);
}
