// The embedded broker as one unit: opens the log and the group coordinator in the data
// directory, serves the Kafka protocol on TCP, runs retention, and closes in order.
import { systemClock, type BrokerContext, type BrokerSettings } from './context.js';
import { GroupCoordinator } from './groups/coordinator.js';
import { openLogStore } from './log/index.js';
import { loadClusterId, openProducerIds } from './persisted-state.js';
import type { LogFn } from './server/connection.js';
import { startServer } from './server/server.js';

export type { LogFn } from './server/connection.js';

export interface BrokerOptions {
  /** Address to bind (default 127.0.0.1: loopback only). */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dataDir: string;
  /** Host put in Metadata / FindCoordinator answers (default: `host`, or 127.0.0.1 for 0.0.0.0). */
  advertisedHost?: string;
  /** How often data written with acks=0/1 is fsynced (the log's flush policy). */
  flushIntervalMs?: number;
  /** How often retention.ms / retention.bytes are applied (default 30 s). */
  retentionCheckMs?: number;
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  log?: LogFn;
}

export interface RunningBroker {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  close(): Promise<void>;
}

const NODE_ID = 1;

export async function startBroker(opts: BrokerOptions): Promise<RunningBroker> {
  const log: LogFn = opts.log ?? (() => undefined);
  const host = opts.host ?? '127.0.0.1';
  const clusterId = await loadClusterId(opts.dataDir);
  const producerIds = await openProducerIds(opts.dataDir);
  const store = await openLogStore({
    dataDir: opts.dataDir,
    flushIntervalMs: opts.flushIntervalMs,
    onRecovery: (msg) => log('warn', `recovery: ${msg}`),
  });
  const groups = new GroupCoordinator({ dataDir: opts.dataDir, clock: systemClock });
  try {
    await groups.load();
  } catch (err) {
    await store.close();
    throw err;
  }

  const identity = {
    nodeId: NODE_ID,
    host: opts.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host),
    port: opts.port ?? 0,
    clusterId,
  };
  const settings: BrokerSettings = {
    autoCreateTopics: opts.autoCreateTopics ?? true,
    defaultPartitions: opts.defaultPartitions ?? 1,
  };
  const ctx: BrokerContext = { log: store, groups, clock: systemClock, identity, settings, producerIds };

  let server;
  try {
    server = await startServer({ host, port: opts.port ?? 0, ctx, log });
  } catch (err) {
    await groups.close();
    await store.close();
    throw err;
  }
  // The advertised port is the one we really got (port 0 = any free one).
  identity.port = server.port;

  const retention = setInterval(() => {
    try {
      store.enforceRetention(Date.now());
    } catch (err) {
      log('error', `retention failed: ${String(err)}`);
    }
  }, opts.retentionCheckMs ?? 30_000);
  retention.unref();

  let closing: Promise<void> | null = null;
  const running = server;
  return {
    port: server.port,
    host,
    dataDir: opts.dataDir,
    close() {
      closing ??= (async () => {
        clearInterval(retention);
        await running.close();
        await groups.close();
        await store.flush();
        await store.close();
      })();
      return closing;
    },
  };
}
