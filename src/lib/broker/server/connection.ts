import type { Socket } from 'node:net';
import type { BrokerContext } from '../context.js';
import type { AnyApiHandler } from '../handlers/index.js';
import { CloseConnection, type ConnectionInfo } from '../handlers/types.js';
import { Decoder, ProtocolError } from '../protocol/decoder.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { encodeApiVersionsResponse } from '../protocol/messages/18-api-versions.js';
import { FrameReader } from './frame-reader.js';
import { finishResponse, readRequestHeader, startResponse, type RequestHeader } from './request-header.js';

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;

export interface ConnectionDeps {
  readonly ctx: BrokerContext;
  readonly handlerFor: (apiKey: number) => AnyApiHandler | undefined;
  readonly maxFrameBytes: number;
  readonly log: LogFn;
}

/** A response slot: filled when its handler finishes; written only when all before it are. */
interface Slot {
  parts: Buffer[] | null;
}

const API_VERSIONS_KEY = 18;
/** Past this many unanswered requests we stop reading from the socket (backpressure). */
const MAX_IN_FLIGHT = 256;

/**
 * One client connection. Requests are decoded and handed to their handler in arrival order, as
 * soon as they arrive (a long-polling Fetch does not hold up the requests behind it), but
 * responses go out strictly in request order, as the protocol requires. Any framing or decoding
 * fault closes this connection only.
 */
export class Connection {
  private readonly frames: FrameReader;
  private readonly queue: Slot[] = [];
  private closed = false;
  private paused = false;
  private readonly clientHost: string;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly deps: ConnectionDeps,
    private readonly onClose: (c: Connection) => void,
  ) {
    this.frames = new FrameReader(deps.maxFrameBytes);
    this.clientHost = socket.remoteAddress ?? 'unknown';
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.maybeResume());
    socket.on('error', (err) => this.deps.log('debug', `connection ${id}: socket error: ${err.message}`));
    socket.on('close', () => this.finish());
  }

  get inFlight(): number {
    return this.queue.length;
  }

  close(reason?: string): void {
    if (this.closed) return;
    if (reason) this.deps.log('warn', `closing connection ${this.id} from ${this.clientHost}: ${reason}`);
    this.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.onClose(this);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.frames.push(chunk);
    // Several requests in one chunk are answered with one corked write where possible.
    this.socket.cork();
    try {
      for (;;) {
        const frame = this.frames.next();
        if (frame === null) break;
        this.dispatch(frame);
        if (this.closed) return;
      }
    } catch (err) {
      this.close(describe(err));
      return;
    } finally {
      if (!this.closed) this.socket.uncork();
    }
    if (this.queue.length >= MAX_IN_FLIGHT && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
  }

  private dispatch(frame: Buffer): void {
    const d = new Decoder(frame);
    const header = readRequestHeader(d);
    const handler = this.deps.handlerFor(header.apiKey);
    if (!handler || header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
      this.unsupported(header, handler);
      return;
    }
    const flexible = header.apiVersion >= handler.flexibleFrom;
    d.taggedFields(flexible); // request header v2
    const req: unknown = handler.decode(d, header.apiVersion);
    const info: ConnectionInfo = { id: this.id, clientId: header.clientId, clientHost: this.clientHost };
    const answer = handler.expectsResponse ? handler.expectsResponse(req) : true;
    const slot: Slot | null = answer ? { parts: null } : null;
    if (slot) this.queue.push(slot);

    const respond = (res: unknown): void => {
      if (!slot || this.closed) return;
      // ApiVersions always answers with response header v0 (KIP-511).
      const flexHeader = flexible && header.apiKey !== API_VERSIONS_KEY;
      const e = startResponse(header.correlationId, flexHeader);
      handler.encode(e, res, header.apiVersion);
      slot.parts = finishResponse(e);
      this.flush();
    };
    const fail = (err: unknown): void => {
      if (err instanceof CloseConnection) {
        this.deps.log('debug', `closing connection ${this.id}: ${err.message}`);
        this.close();
        return;
      }
      this.deps.log('error', `${handler.name} v${header.apiVersion} failed: ${describe(err)}`);
      // An exception from a handler is a bug on our side; Kafka would answer with an error
      // response, but without a per-API error body the honest move is to drop the connection.
      this.close(`handler ${handler.name} threw`);
    };

    let result: unknown;
    try {
      result = handler.handle(req, header.apiVersion, this.deps.ctx, info);
    } catch (err) {
      fail(err);
      return;
    }
    // An encoder fault (a handler bug) must end this connection, not surface as an unhandled
    // rejection that would take the whole process down.
    const settle = (res: unknown): void => {
      try {
        respond(res);
      } catch (err) {
        fail(err);
      }
    };
    if (isPromise(result)) result.then(settle, fail);
    else settle(result);
  }

  /**
   * Kafka answers an ApiVersions request it cannot parse with UNSUPPORTED_VERSION and its own
   * ranges in a v0 body; any other unknown key or version makes it close the connection
   * (SocketServer rejects the header with InvalidRequestException), and so do we.
   */
  private unsupported(header: RequestHeader, handler: AnyApiHandler | undefined): void {
    if (header.apiKey !== API_VERSIONS_KEY || !handler) {
      const what = handler ? `${handler.name} v${header.apiVersion}` : `unknown API key ${header.apiKey}`;
      this.close(`unsupported request: ${what}`);
      return;
    }
    // Like Kafka, the fallback lists only ApiVersions' own range: all the client needs to retry.
    const own = { apiKey: API_VERSIONS_KEY, minVersion: handler.minVersion, maxVersion: handler.maxVersion };
    const e = startResponse(header.correlationId, false);
    encodeApiVersionsResponse(
      e,
      { errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: [own], throttleTimeMs: 0 },
      0,
    );
    this.queue.push({ parts: finishResponse(e) });
    this.flush();
  }

  private flush(): void {
    const q = this.queue;
    if (q.length === 0 || (q[0] as Slot).parts === null) return;
    this.socket.cork();
    let writable = true;
    while (q.length > 0 && (q[0] as Slot).parts !== null) {
      const slot = q.shift() as Slot;
      for (const p of slot.parts as Buffer[]) writable = this.socket.write(p);
    }
    this.socket.uncork();
    if (writable) this.maybeResume();
    else if (!this.paused) {
      // The client is not reading its answers: stop reading its requests until 'drain'.
      this.paused = true;
      this.socket.pause();
    }
  }

  /**
   * Reading resumes once few answers are pending and the socket wants no 'drain'. (Waiting for
   * an empty write buffer instead could wait forever: 'drain' fires only after a write that
   * returned false.)
   */
  private maybeResume(): void {
    if (
      this.paused &&
      !this.closed &&
      this.queue.length < MAX_IN_FLIGHT / 2 &&
      !this.socket.writableNeedDrain
    ) {
      this.paused = false;
      this.socket.resume();
    }
  }
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function describe(err: unknown): string {
  if (err instanceof ProtocolError) return `malformed request: ${err.message}`;
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}
