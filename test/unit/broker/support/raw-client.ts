// A bare TCP client for framing tests: sends raw bytes and collects response frames.
import { connect, type Socket } from 'node:net';
import { Decoder } from '../../../../src/lib/broker/protocol/decoder.js';
import { Encoder } from '../../../../src/lib/broker/protocol/encoder.js';

export interface RawClient {
  socket: Socket;
  /** Resolves with the next `n` response frames (without size prefix). */
  frames(n: number): Promise<Buffer[]>;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
  send(bytes: Buffer): void;
}

export async function rawConnect(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buf = Buffer.alloc(0);
  const got: Buffer[] = [];
  let waiter: (() => void) | null = null;
  socket.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
      const n = buf.readInt32BE(0);
      got.push(buf.subarray(4, 4 + n));
      buf = buf.subarray(4 + n);
    }
    waiter?.();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    closed,
    send: (b) => socket.write(b),
    frames: (n) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (got.length >= n) resolve(got.splice(0, n));
        };
        waiter = check;
        void closed.then(() => reject(new Error(`connection closed after ${got.length} of ${n} frames`)));
        check();
      }),
  };
}

/** A framed request: header v1 (or v2 when `flexible`), then the body written by `body`. */
export function request(
  apiKey: number,
  version: number,
  correlationId: number,
  body: (e: Encoder) => void = () => undefined,
  flexible = false,
  clientId: string | null = 'raw',
): Buffer {
  const e = new Encoder();
  e.int32(0).int16(apiKey).int16(version).int32(correlationId).nullableString(clientId);
  if (flexible) e.taggedFields();
  body(e);
  const out = e.toBuffer();
  out.writeInt32BE(out.length - 4, 0);
  return out;
}

export function correlationIdOf(frame: Buffer): number {
  return new Decoder(frame).int32();
}
