import { createServer, type Server, type Socket } from 'node:net';
import type { BrokerContext } from '../context.js';
import { handlerFor as tableHandlerFor, type AnyApiHandler } from '../handlers/index.js';
import { Connection, type LogFn } from './connection.js';
import { DEFAULT_MAX_FRAME_BYTES } from './frame-reader.js';

export interface ServerOptions {
  host: string;
  port: number;
  ctx: BrokerContext;
  maxFrameBytes?: number;
  log?: LogFn;
  /** For tests: a different handler table. */
  handlerFor?: (apiKey: number) => AnyApiHandler | undefined;
}

export interface KafkaServer {
  readonly host: string;
  readonly port: number;
  readonly connections: number;
  /** Stops accepting, lets answers in flight go out (up to `graceMs`), then drops connections. */
  close(graceMs?: number): Promise<void>;
}

/** The TCP side of the broker: accepts connections and gives each its own Connection. */
export async function startServer(opts: ServerOptions): Promise<KafkaServer> {
  const log: LogFn = opts.log ?? (() => undefined);
  const open = new Set<Connection>();
  let nextId = 1;
  const deps = {
    ctx: opts.ctx,
    handlerFor: opts.handlerFor ?? tableHandlerFor,
    maxFrameBytes: opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    log,
  };

  const server: Server = createServer((socket: Socket) => {
    try {
      const conn = new Connection(nextId++, socket, deps, (c) => open.delete(c));
      open.add(conn);
    } catch (err) {
      log('error', `could not set up a connection: ${String(err)}`);
      socket.destroy();
    }
  });
  server.on('error', (err) => log('error', `listener error: ${err.message}`));

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;

  return {
    host: opts.host,
    port,
    get connections() {
      return open.size;
    },
    async close(graceMs = 2000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && [...open].some((c) => c.inFlight > 0)) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const c of [...open]) c.close();
      await closed;
    },
  };
}
