import type { Socket } from 'node:net';
import type { Admin, Consumer, ConsumerConfig, Kafka, Producer, ProducerConfig, logCreator } from 'kafkajs';
import { EbError, ExitCode } from '../cli/errors.js';
import { log, logEnabled } from '../render/log.js';
import type { Target } from './target.js';
import { noDelaySocketFactory } from './wire/kafkajs-bridge.js';

export interface SessionOptions {
  /** Bound on reaching the cluster at all; past it we exit 3. */
  connectTimeoutMs: number;
  /** Called once before the first connection (the embedded broker starts itself here). */
  beforeConnect?: (target: Target) => Promise<void>;
}

/** kafkajs is CommonJS; its named exports are reliable only on the default export. */
export async function loadKafkajs(): Promise<typeof import('kafkajs')> {
  const mod = await import('kafkajs');
  return (mod as unknown as { default?: typeof import('kafkajs') }).default ?? mod;
}

/**
 * kafkajs's own logs are noise for a person at a terminal: they reach stderr only at
 * --log-level info or debug, through our logger.
 */
let lastClientError: string | undefined;

const bridge: logCreator = () => (entry) => {
  if (entry.level <= 1 && entry.namespace === 'Connection')
    lastClientError = entry.log.message.replace(/^Connection error: /, '');
  const level =
    entry.level <= 1 ? 'error' : entry.level === 2 ? 'warn' : entry.level === 4 ? 'info' : 'debug';
  const shown = level === 'debug' ? 'debug' : 'info';
  if (!logEnabled(shown)) return;
  const { message, ...rest } = entry.log;
  log(
    shown,
    `[kafkajs ${level}] ${entry.namespace ? entry.namespace + ': ' : ''}${message} ${JSON.stringify(rest)}`,
  );
};

/**
 * One connection context per command: the kafkajs client (loaded lazily so --help stays fast),
 * a connected admin, and producers/consumers that are all disconnected by close().
 */
export class KafkaSession {
  private adminClient?: Admin;
  private readonly closers: (() => Promise<void>)[] = [];

  private constructor(
    readonly target: Target,
    readonly kafka: Kafka,
    private readonly opts: SessionOptions,
    private readonly sockets: SocketTracker,
  ) {}

  static async open(target: Target, opts: SessionOptions): Promise<KafkaSession> {
    await opts.beforeConnect?.(target);
    process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
    const { Kafka, logLevel } = await loadKafkajs();
    const sockets = new SocketTracker();
    const kafka = new Kafka({
      clientId: target.clientId,
      brokers: target.brokers,
      ssl: target.ssl,
      sasl: target.sasl as never, // kafkajs's SASLOptions union is keyed by mechanism; ours is the same shape
      connectionTimeout: Math.min(opts.connectTimeoutMs, 10_000),
      requestTimeout: 30_000,
      logLevel: logLevel.DEBUG,
      logCreator: bridge,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
      socketFactory: sockets.factory(noDelaySocketFactory()),
    });
    return new KafkaSession(target, kafka, opts, sockets);
  }

  /** A connected admin client; the first call proves the cluster is reachable (or exits 3). */
  async admin(): Promise<Admin> {
    if (this.adminClient) return this.adminClient;
    const admin = this.kafka.admin({ retry: { retries: 2, initialRetryTime: 100 } });
    await this.connect(
      () => admin.connect(),
      () => admin.disconnect(),
    );
    this.adminClient = admin;
    this.closers.push(() => admin.disconnect());
    return admin;
  }

  async producer(config: ProducerConfig = {}): Promise<Producer> {
    const { Partitioners } = await loadKafkajs();
    // The Java client's murmur2 partitioner, so keys land where any other Kafka client puts them.
    const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...config });
    await this.connect(
      () => producer.connect(),
      () => producer.disconnect(),
    );
    this.closers.push(() => producer.disconnect());
    return producer;
  }

  async consumer(config: ConsumerConfig): Promise<Consumer> {
    const consumer = this.kafka.consumer(config);
    await this.connect(
      () => consumer.connect(),
      () => consumer.disconnect(),
    );
    this.closers.push(() => consumer.disconnect());
    return consumer;
  }

  /** Runs at close(), before the clients opened here are disconnected. */
  onClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    const closers = this.closers.splice(0).reverse();
    for (const c of closers) await c().catch(() => undefined);
    this.sockets.destroyAll();
  }

  private async connect(connect: () => Promise<void>, abort: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.opts.connectTimeoutMs} ms`)),
        this.opts.connectTimeoutMs,
      );
    });
    try {
      await Promise.race([connect(), deadline]);
    } catch (err) {
      void abort().catch(() => undefined);
      const failure = isAuthFailure(err)
        ? authFailed(this.target, err)
        : unreachable(this.target, lastClientError ? new Error(lastClientError) : err);
      this.sockets.destroyAll();
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The sockets kafkajs opens for one session. kafkajs's disconnect only half-closes a socket
 * (end()), and a peer that accepted the connection but never answers (a hung broker, a wrong
 * service on the port) never closes its side: the process would then outlive the connect timeout
 * by minutes. After a failed connect and at close() we destroy them, and refuse new ones that
 * kafkajs's background retries would open.
 */
class SocketTracker {
  private readonly open = new Set<Socket>();
  private closed = false;

  factory(create: (args: object) => Socket): (args: object) => Socket {
    return (args) => {
      const socket = create(args);
      if (this.closed) {
        process.nextTick(() => socket.destroy(new Error('eventbench session closed')));
        return socket;
      }
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
      return socket;
    };
  }

  destroyAll(): void {
    this.closed = true;
    // With an error, so kafkajs's error handler fails its pending requests and clears their timers.
    for (const s of this.open) s.destroy(new Error('eventbench session closed'));
    this.open.clear();
  }
}

/** The broker answered but refused our credentials (or the SASL handshake): not an outage. */
function isAuthFailure(err: unknown): boolean {
  const e = err as { name?: string; message?: string; type?: string };
  return (
    e?.name === 'KafkaJSSASLAuthenticationError' ||
    e?.type === 'SASL_AUTHENTICATION_FAILED' ||
    e?.type === 'UNSUPPORTED_SASL_MECHANISM' ||
    e?.type === 'ILLEGAL_SASL_STATE' ||
    /SaslHandshake|SaslAuthenticate|SASL/i.test(e?.message ?? '')
  );
}

function authFailed(target: Target, err: unknown): EbError {
  return new EbError(`Kafka at ${target.describe} refused authentication: ${(err as Error).message}`, {
    hint: target.contextName
      ? `check the SASL mechanism, user and password variable of context "${target.contextName}" (\`eventbench context show ${target.contextName}\`)`
      : 'check the SASL settings',
    exitCode: ExitCode.failure,
    cause: err,
  });
}

export function unreachable(target: Target, err: unknown): EbError {
  const cause = rootCause(err);
  const hint =
    target.source === 'flag'
      ? 'check the address given to --brokers, or that the broker is running'
      : target.source === 'embedded'
        ? 'start it with `eventbench broker start`, or point elsewhere with --brokers / KAFKA_BROKERS'
        : target.source === 'env'
          ? 'check KAFKA_BROKERS / EVENTBENCH_BROKERS, or unset them'
          : `check context "${target.contextName}" with \`eventbench context show ${target.contextName}\``;
  return new EbError(`cannot reach Kafka at ${target.describe}: ${cause}`, {
    hint,
    exitCode: ExitCode.unreachable,
    cause: err,
  });
}

function rootCause(err: unknown): string {
  let e = err as { message?: string; originalError?: unknown; cause?: unknown; code?: string } | undefined;
  for (let i = 0; i < 5 && e; i++) {
    const next = (e.originalError ?? e.cause) as typeof e;
    if (!next) break;
    e = next;
  }
  const msg = e?.message ?? String(err);
  if (/ECONNREFUSED/.test(msg) || e?.code === 'ECONNREFUSED') return 'connection refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(msg)) return 'host not found';
  return msg;
}
