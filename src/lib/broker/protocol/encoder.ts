/**
 * Writer for Kafka wire primitives. One growing buffer (doubling), no allocation per field.
 * Large byte blobs (record batches read from the log) are kept by reference instead of being
 * copied: the encoder then holds a list of chunks, and the server hands them to the socket with
 * one corked write each (see `chunks()`), so a Fetch response never copies its records.
 *
 * Methods with a classic and a compact (flexible-version) form take a `compact` flag:
 * `e.string(name, v >= 9)`.
 */

/** Blobs at least this large are referenced, not copied. */
const ZERO_COPY_MIN = 4096;

export class Encoder {
  private buf: Buffer;
  private pos = 0;
  /** Start of the part of `buf` not yet moved into `done`. */
  private start = 0;
  private readonly done: Buffer[] = [];
  private doneBytes = 0;

  constructor(initialSize = 512) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Total bytes written so far. */
  get length(): number {
    return this.doneBytes + this.pos - this.start;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    // Move what is written to the chunk list and continue in a fresh, larger buffer; the old
    // bytes are not copied again.
    this.sealCurrent();
    let size = this.buf.length * 2;
    while (size < n) size *= 2;
    this.buf = Buffer.allocUnsafe(size);
    this.pos = 0;
    this.start = 0;
  }

  private sealCurrent(): void {
    if (this.pos > this.start) {
      this.done.push(this.buf.subarray(this.start, this.pos));
      this.doneBytes += this.pos - this.start;
      this.start = this.pos;
    }
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }

  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  /** 16 bytes; a missing id is written as the all-zero UUID, as Kafka's Uuid.ZERO_UUID. */
  uuid(id: Buffer | null | undefined): this {
    this.ensure(16);
    if (id && id.length === 16) id.copy(this.buf, this.pos);
    else this.buf.fill(0, this.pos, this.pos + 16);
    this.pos += 16;
    return this;
  }

  unsignedVarint(v: number): this {
    this.ensure(5);
    let value = v >>> 0;
    while (value >= 0x80) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
    return this;
  }

  /** Zig-zag signed varint (32 bits). */
  varint(v: number): this {
    return this.unsignedVarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zig-zag signed varlong (64 bits). */
  varlong(v: bigint): this {
    this.ensure(10);
    let value = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (value >= 0x80n) {
      this.buf[this.pos++] = Number(value & 0x7fn) | 0x80;
      value >>= 7n;
    }
    this.buf[this.pos++] = Number(value);
    return this;
  }

  private lengthPrefix(n: number, compact: boolean, wide: boolean): void {
    if (compact) this.unsignedVarint(n + 1);
    else if (wide) this.int32(n);
    else this.int16(n);
  }

  nullableString(s: string | null | undefined, compact = false): this {
    if (s === null || s === undefined) {
      this.lengthPrefix(-1, compact, false);
      return this;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.lengthPrefix(n, compact, false);
    this.ensure(n);
    this.buf.write(s, this.pos, n, 'utf8');
    this.pos += n;
    return this;
  }

  string(s: string, compact = false): this {
    return this.nullableString(s, compact);
  }

  compactString(s: string): this {
    return this.nullableString(s, true);
  }

  compactNullableString(s: string | null | undefined): this {
    return this.nullableString(s, true);
  }

  nullableBytes(b: Buffer | null | undefined, compact = false): this {
    if (b === null || b === undefined) {
      this.lengthPrefix(-1, compact, true);
      return this;
    }
    this.lengthPrefix(b.length, compact, true);
    return this.raw(b);
  }

  bytes(b: Buffer, compact = false): this {
    return this.nullableBytes(b, compact);
  }

  compactBytes(b: Buffer): this {
    return this.nullableBytes(b, true);
  }

  compactNullableBytes(b: Buffer | null | undefined): this {
    return this.nullableBytes(b, true);
  }

  nullableArray<T>(
    items: readonly T[] | null | undefined,
    item: (e: Encoder, v: T) => void,
    compact = false,
  ): this {
    if (items === null || items === undefined) {
      this.lengthPrefix(-1, compact, true);
      return this;
    }
    this.lengthPrefix(items.length, compact, true);
    for (const v of items) item(this, v);
    return this;
  }

  array<T>(items: readonly T[], item: (e: Encoder, v: T) => void, compact = false): this {
    return this.nullableArray(items, item, compact);
  }

  compactArray<T>(items: readonly T[], item: (e: Encoder, v: T) => void): this {
    return this.nullableArray(items, item, true);
  }

  /** Empty tagged-field section (one zero byte) when `present`; nothing otherwise. */
  taggedFields(present = true): this {
    if (present) this.unsignedVarint(0);
    return this;
  }

  /**
   * Tagged fields with content: each entry's writer fills a sub-encoder, whose size becomes
   * the field's length prefix. Entries must be in increasing tag order; empty list = one zero.
   */
  taggedFieldsWith(fields: readonly { tag: number; write: (e: Encoder) => void }[]): this {
    this.unsignedVarint(fields.length);
    for (const f of fields) {
      const sub = new Encoder(64);
      f.write(sub);
      this.unsignedVarint(f.tag).unsignedVarint(sub.length);
      for (const c of sub.chunks()) this.raw(c);
    }
    return this;
  }

  /** Appends bytes as they are; large ones are referenced, not copied. */
  raw(b: Buffer): this {
    if (b.length >= ZERO_COPY_MIN) {
      this.sealCurrent();
      this.done.push(b);
      this.doneBytes += b.length;
      return this;
    }
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }

  /** The written bytes as a list of buffers, in order, without copying. */
  chunks(): Buffer[] {
    this.sealCurrent();
    return this.done.slice();
  }

  /** The written bytes as one buffer (copies only when there is more than one chunk). */
  toBuffer(): Buffer {
    const parts = this.chunks();
    if (parts.length === 1) return parts[0] as Buffer;
    return Buffer.concat(parts, this.doneBytes);
  }
}
