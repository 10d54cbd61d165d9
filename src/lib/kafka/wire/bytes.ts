/**
 * Byte-level helpers shared by our record batch and request codecs: zig-zag varints (as in
 * Protocol Buffers; Kafka uses them inside magic-2 records), int64 as JS numbers, and a small
 * bounds-checked reader. Numbers, not BigInt or Long objects: offsets and timestamps stay far
 * below 2^53, and number arithmetic is what keeps per-record work cheap.
 */

const TWO_32 = 4294967296;

export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

/** Bytes of an unsigned varint holding u (0 <= u < 2^32). */
export function uvarintSize(u: number): number {
  return u < 0x80 ? 1 : u < 0x4000 ? 2 : u < 0x200000 ? 3 : u < 0x10000000 ? 4 : 5;
}

/** Bytes of a zig-zag varint holding a signed 32-bit n. */
export function varintSize(n: number): number {
  return uvarintSize(((n << 1) ^ (n >> 31)) >>> 0);
}

/** Bytes of a zig-zag varlong holding an integer n with |n| < 2^52. */
export function varlongSize(n: number): number {
  if (n >= -0x40000000 && n < 0x40000000) return varintSize(n);
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  let size = 1;
  while (z >= 128) {
    z = Math.floor(z / 128);
    size++;
  }
  return size;
}

/** Writes an unsigned varint at pos; returns the position after it. */
export function writeUvarint(buf: Uint8Array, pos: number, u: number): number {
  while (u >= 0x80) {
    buf[pos++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[pos++] = u;
  return pos;
}

export function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  return writeUvarint(buf, pos, ((n << 1) ^ (n >> 31)) >>> 0);
}

export function writeVarlong(buf: Uint8Array, pos: number, n: number): number {
  if (n >= -0x40000000 && n < 0x40000000) return writeVarint(buf, pos, n);
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  while (z >= 128) {
    buf[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  buf[pos++] = z;
  return pos;
}

export function writeInt64(buf: Buffer, pos: number, n: number): void {
  const hi = Math.floor(n / TWO_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(n - hi * TWO_32, pos + 4);
}

export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

/**
 * A cursor over a buffer. Fixed-width reads go through Buffer's own range checks; varints check
 * the end themselves, so a truncated or corrupt payload is an error, never garbage.
 */
export class Reader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
    readonly end = buf.length,
  ) {}

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  int64(): number {
    this.need(8);
    const v = readInt64(this.buf, this.pos);
    this.pos += 8;
    return v;
  }

  /** int16-length string; null for length -1. */
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new WireFormatError('unexpected null string');
    return s;
  }

  /** An unsigned varint of up to 32 bits. */
  uvarint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw new WireFormatError('varint past the end');
    let b = buf[pos++]!;
    let u = b & 0x7f;
    let shift = 7;
    while (b & 0x80) {
      if (pos >= this.end || shift > 28) throw new WireFormatError('malformed varint');
      b = buf[pos++]!;
      u |= (b & 0x7f) << shift;
      shift += 7;
    }
    this.pos = pos;
    return u >>> 0;
  }

  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** A zig-zag varlong; exact while |value| < 2^53. */
  varlong(): number {
    const buf = this.buf;
    let pos = this.pos;
    let z = 0;
    let mul = 1;
    for (;;) {
      if (pos >= this.end || mul > 2 ** 63) throw new WireFormatError('malformed varlong');
      const b = buf[pos++]!;
      z += (b & 0x7f) * mul;
      if (!(b & 0x80)) break;
      mul *= 128;
    }
    this.pos = pos;
    // Zig-zag: even z is z/2, odd z is -(z+1)/2.
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  need(n: number): void {
    if (this.pos + n > this.end)
      throw new WireFormatError(`need ${n} bytes at ${this.pos}, have ${this.end - this.pos}`);
  }
}
