// Starts the real TCP server on 127.0.0.1:0 around a given LogStore (MemoryLog by default) and a
// stub group coordinator, for tests that need a broker without files.
import type { BrokerContext, BrokerSettings, Clock } from '../../../../src/lib/broker/context.js';
import { systemClock } from '../../../../src/lib/broker/context.js';
import type { LogStore } from '../../../../src/lib/broker/log/types.js';
import type { LogFn } from '../../../../src/lib/broker/server/connection.js';
import { startServer, type KafkaServer } from '../../../../src/lib/broker/server/server.js';
import { MemoryLog } from './memory-log.js';

export interface TestBroker {
  server: KafkaServer;
  ctx: BrokerContext;
  log: LogStore;
  port: number;
  close(): Promise<void>;
}

export async function startTestBroker(
  opts: {
    log?: LogStore;
    clock?: Clock;
    settings?: BrokerSettings;
    maxFrameBytes?: number;
    logFn?: LogFn;
  } = {},
): Promise<TestBroker> {
  const log = opts.log ?? new MemoryLog();
  const identity = { nodeId: 1, host: '127.0.0.1', port: 0, clusterId: 'test-cluster-000000000' };
  const ctx: BrokerContext = {
    log,
    // The group coordinator is another module's job; these tests never reach it.
    groups: { onTopicsDeleted: async () => undefined } as unknown as BrokerContext['groups'],
    clock: opts.clock ?? systemClock,
    identity,
    settings: opts.settings,
  };
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    ctx,
    maxFrameBytes: opts.maxFrameBytes,
    log: opts.logFn,
  });
  identity.port = server.port;
  return { server, ctx, log, port: server.port, close: () => server.close(200) };
}
