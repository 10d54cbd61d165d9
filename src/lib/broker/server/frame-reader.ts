import { ProtocolError } from '../protocol/decoder.js';

/** Kafka's socket.request.max.bytes defaults to 100 MiB; a bigger size prefix is a bad frame. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;

/**
 * Splits a TCP byte stream into Kafka frames (int32 size, then that many bytes). A frame that
 * lies inside one received chunk is returned as a slice of it (no copy); only frames that span
 * chunks are assembled. A negative or oversized size throws ProtocolError: the connection is
 * unusable after that, because the stream position is lost.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  /** Read position inside chunks[0]. */
  private head = 0;
  private buffered = 0;
  /** Size of the frame being waited for, once its prefix has been read; -1 before. */
  private pending = -1;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** The next complete frame body (without its size prefix), or null until more bytes arrive. */
  next(): Buffer | null {
    if (this.pending < 0) {
      if (this.buffered < 4) return null;
      const size = this.take(4).readInt32BE(0);
      if (size < 0) throw new ProtocolError(`negative frame size ${size}`);
      if (size > this.maxFrameBytes) {
        throw new ProtocolError(`frame of ${size} bytes exceeds the limit of ${this.maxFrameBytes}`);
      }
      this.pending = size;
    }
    if (this.buffered < this.pending) return null;
    const frame = this.take(this.pending);
    this.pending = -1;
    return frame;
  }

  /** Removes `n` buffered bytes (n <= buffered): a slice when they lie in one chunk, else a copy. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0] as Buffer;
    const avail = first.length - this.head;
    if (n <= avail) {
      const out = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0] as Buffer;
      const len = Math.min(c.length - this.head, n - filled);
      c.copy(out, filled, this.head, this.head + len);
      filled += len;
      this.head += len;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    return out;
  }
}
