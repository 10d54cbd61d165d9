#!/usr/bin/env node
// Process entry of the embedded broker:
//   node dist/lib/broker/bin.js --port N --data-dir DIR [--host H] [--advertised-host H]
//                               [--flush-interval-ms N] [--retention-check-ms N]
// Prints one JSON line {"event":"listening","port":N,"host":H,"pid":P} on stdout when ready,
// logs to stderr, and shuts down gracefully (final flush) on SIGTERM / SIGINT. A bad client
// never ends the process: connection faults are handled per connection, and anything that still
// escapes is logged, not fatal.
import { parseArgs } from 'node:util';
import { startBroker, type LogFn } from './main.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

// Output nobody reads any more (a closed terminal, a pipe whose reader exited: EPIPE) is dropped.
// Unhandled, each failed write was an uncaught error whose handler logged it, failed again, and
// so on: that loop kept the event loop from ever reaching the shutdown, and SIGTERM never ended
// the process.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

function stderrLog(min: (typeof LEVELS)[number]): LogFn {
  const floor = LEVELS.indexOf(min);
  return (level, msg) => {
    if (LEVELS.indexOf(level) < floor || process.stderr.destroyed) return;
    process.stderr.write(`${new Date().toISOString()} ${level} ${msg}\n`);
  };
}

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'data-dir': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'advertised-host': { type: 'string' },
      'flush-interval-ms': { type: 'string' },
      'retention-check-ms': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  const dataDir = values['data-dir'];
  if (!dataDir) throw new Error('--data-dir is required');
  const level = (LEVELS as readonly string[]).includes(values['log-level']) ? values['log-level'] : 'info';
  const log = stderrLog(level as (typeof LEVELS)[number]);

  process.on('uncaughtException', (err) => log('error', `uncaught: ${err.stack ?? String(err)}`));
  process.on('unhandledRejection', (err) => log('error', `unhandled rejection: ${String(err)}`));

  const broker = await startBroker({
    host: values.host,
    port: intOption(values.port, 'port'),
    dataDir,
    advertisedHost: values['advertised-host'],
    flushIntervalMs: intOption(values['flush-interval-ms'], 'flush-interval-ms'),
    retentionCheckMs: intOption(values['retention-check-ms'], 'retention-check-ms'),
    log,
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal}: closing`);
    broker.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log('error', `close failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Ready only now: whoever waits for this line may stop us at once, and a SIGTERM that came
  // before the handlers would have ended the process without its final flush.
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', port: broker.port, host: broker.host, pid: process.pid })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`broker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
