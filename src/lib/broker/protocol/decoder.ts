/**
 * Bounds-checked reader for Kafka wire primitives. Every read checks the frame end first, so a
 * truncated or lying frame becomes a ProtocolError for that connection, never a crash.
 *
 * Methods that have a classic and a compact (flexible-version) form take a `compact` flag, so a
 * codec reads `d.string(v >= 9)` instead of branching. Byte fields are returned as slices of the
 * frame (no copy): they stay valid as long as the frame buffer does.
 */

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

const textDecoder = new TextDecoder('utf-8');

export class Decoder {
  offset: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    end = buf.length,
  ) {
    if (offset < 0 || end > buf.length || offset > end) {
      throw new ProtocolError(`bad decoder window ${offset}..${end} of ${buf.length}`);
    }
    this.offset = offset;
    this.end = end;
  }

  remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, what: string): number {
    const at = this.offset;
    if (n > this.end - at) {
      throw new ProtocolError(`truncated ${what}: need ${n} bytes at ${at}, frame ends at ${this.end}`);
    }
    this.offset = at + n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1, 'int8'));
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2, 'int16'));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4, 'int32'));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.need(4, 'uint32'));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8, 'int64'));
  }

  float64(): number {
    return this.buf.readDoubleBE(this.need(8, 'float64'));
  }

  boolean(): boolean {
    return this.buf[this.need(1, 'boolean')] !== 0;
  }

  uuid(): Buffer {
    const at = this.need(16, 'uuid');
    return this.buf.subarray(at, at + 16);
  }

  /** Unsigned LEB128 varint, at most 5 bytes (32 bits), as Kafka's ByteUtils.readUnsignedVarint. */
  unsignedVarint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.buf[this.need(1, 'varint')] as number;
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) {
        if (value > 0xffffffff) throw new ProtocolError('unsigned varint exceeds 32 bits');
        return value;
      }
    }
    throw new ProtocolError('unsigned varint longer than 5 bytes');
  }

  /** Zig-zag signed varint (32 bits). */
  varint(): number {
    const u = this.unsignedVarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** Zig-zag signed varlong (64 bits), at most 10 bytes. */
  varlong(): bigint {
    let value = 0n;
    for (let i = 0n; i < 10n; i++) {
      const b = this.buf[this.need(1, 'varlong')] as number;
      value |= BigInt(b & 0x7f) << (7n * i);
      if ((b & 0x80) === 0) return (value >> 1n) ^ -(value & 1n);
    }
    throw new ProtocolError('varlong longer than 10 bytes');
  }

  /** Length prefix: int16/int32 classic, or unsigned varint N+1 when compact; -1 means null. */
  private length(compact: boolean, wide: boolean): number {
    if (compact) return this.unsignedVarint() - 1;
    return wide ? this.int32() : this.int16();
  }

  private text(len: number): string {
    const at = this.need(len, 'string');
    return textDecoder.decode(this.buf.subarray(at, at + len));
  }

  nullableString(compact = false): string | null {
    const len = this.length(compact, false);
    if (len < -1) throw new ProtocolError(`negative string length ${len}`);
    return len === -1 ? null : this.text(len);
  }

  string(compact = false): string {
    const s = this.nullableString(compact);
    if (s === null) throw new ProtocolError('null where a non-null string is required');
    return s;
  }

  compactString(): string {
    return this.string(true);
  }

  compactNullableString(): string | null {
    return this.nullableString(true);
  }

  nullableBytes(compact = false): Buffer | null {
    const len = this.length(compact, true);
    if (len < -1) throw new ProtocolError(`negative bytes length ${len}`);
    if (len === -1) return null;
    const at = this.need(len, 'bytes');
    return this.buf.subarray(at, at + len);
  }

  bytes(compact = false): Buffer {
    const b = this.nullableBytes(compact);
    if (b === null) throw new ProtocolError('null where non-null bytes are required');
    return b;
  }

  compactBytes(): Buffer {
    return this.bytes(true);
  }

  compactNullableBytes(): Buffer | null {
    return this.nullableBytes(true);
  }

  nullableArray<T>(item: (d: Decoder) => T, compact = false): T[] | null {
    const n = this.length(compact, true);
    if (n < -1) throw new ProtocolError(`negative array length ${n}`);
    if (n === -1) return null;
    // Every element takes at least one byte on the wire, so a count above the bytes left is a lie;
    // checking it first keeps a hostile count from allocating a huge array.
    if (n > this.remaining())
      throw new ProtocolError(`array length ${n} exceeds the ${this.remaining()} bytes left`);
    // Grown element by element, so a lying count fails on its first missing element instead of
    // allocating the whole array up front.
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }

  array<T>(item: (d: Decoder) => T, compact = false): T[] {
    const a = this.nullableArray(item, compact);
    if (a === null) throw new ProtocolError('null where a non-null array is required');
    return a;
  }

  compactArray<T>(item: (d: Decoder) => T): T[] {
    return this.array(item, true);
  }

  /**
   * Tagged fields (flexible versions): a count, then (tag, size, bytes) each. `onTag` gets a
   * decoder limited to that field; unknown tags are skipped, as KIP-482 requires. Does nothing
   * when `present` is false, so codecs can call `d.taggedFields(flex)` unconditionally.
   */
  taggedFields(present = true, onTag?: (tag: number, d: Decoder) => void): void {
    if (!present) return;
    const count = this.unsignedVarint();
    let last = -1;
    for (let i = 0; i < count; i++) {
      const tag = this.unsignedVarint();
      if (tag <= last) throw new ProtocolError(`tagged fields out of order: ${tag} after ${last}`);
      last = tag;
      const size = this.unsignedVarint();
      const at = this.need(size, 'tagged field');
      if (onTag) onTag(tag, new Decoder(this.buf, at, at + size));
    }
  }

  /** Raw slice of the next `n` bytes (no copy). */
  raw(n: number): Buffer {
    if (n < 0) throw new ProtocolError(`negative raw length ${n}`);
    const at = this.need(n, 'raw bytes');
    return this.buf.subarray(at, at + n);
  }
}
