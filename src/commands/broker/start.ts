import { Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { usageError } from '../../lib/cli/errors.js';
import {
  embeddedPaths,
  portOpen,
  runningBroker,
  startDetached,
  type BrokerState,
} from '../../lib/embedded/manager.js';
import { runForeground } from '../../lib/embedded/foreground.js';
import { EMBEDDED_PORT, embeddedPort } from '../../lib/kafka/target.js';
import { output } from '../../lib/render/output.js';

export interface BrokerStartResult {
  pid: number;
  host: string;
  port: number;
  dataDir: string;
  detached: boolean;
  alreadyRunning: boolean;
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

export default class BrokerStart extends BaseCommand<BrokerStartResult> {
  static override summary = 'Start the embedded Kafka-protocol broker.';
  static override description = `A single-node broker that speaks the Kafka wire protocol, so kafkajs, kcat and Kafka's own Java tools connect to it unchanged. Data is kept in files and survives restarts.
It binds to loopback (127.0.0.1) only, unless --listen names another address.
Every eventbench command uses it when no other broker is configured, and starts it in the background on first use; you rarely need this command.`;
  static override examples = [
    '<%= config.bin %> broker start                 # foreground, Ctrl-C stops it',
    '<%= config.bin %> broker start --detach        # background; `broker stop` stops it',
    '<%= config.bin %> broker start --port 9300 --data-dir ./kafka-data',
  ];
  static override flags = {
    detach: Flags.boolean({
      char: 'd',
      summary: 'Run in the background (pid and port in the data directory).',
    }),
    port: Flags.integer({
      summary: `TCP port (default: $EVENTBENCH_EMBEDDED_PORT, else ${EMBEDDED_PORT}).`,
      min: 0,
      max: 65535,
    }),
    listen: Flags.string({ summary: 'Address to bind.', default: '127.0.0.1' }),
    'flush-interval-ms': Flags.integer({
      summary:
        'fsync acks=1 data this often (acks=all is always fsynced before the answer); 0 = every append.',
      default: 1000,
      min: 0,
    }),
    'data-dir': Flags.string({
      summary: 'Where topics, logs and offsets live (default: $XDG_DATA_HOME/eventbench/broker-data).',
    }),
  };

  async run(): Promise<BrokerStartResult> {
    const { flags } = await this.parse(BrokerStart);
    // The port every other command looks for the embedded broker on, unless one is given here.
    const port = flags.port ?? embeddedPort();
    const out = output();
    if (!loopback.has(flags.listen)) {
      out.warn(
        `listening on ${flags.listen}: other machines can reach this broker; it has no authentication`,
      );
    }
    const paths = embeddedPaths();
    const dataDir = flags['data-dir'] ?? paths.dataDir;
    const running = runningBroker(paths);
    if (running) {
      if (!this.jsonEnabled())
        out.line(
          `the embedded broker is already running: pid ${running.pid} on ${running.host}:${running.port}`,
        );
      return { ...pick(running), detached: true, alreadyRunning: true };
    }
    if (await portOpen(flags.listen === '0.0.0.0' ? '127.0.0.1' : flags.listen, port)) {
      throw usageError(
        `port ${port} is already in use`,
        'choose another with --port, or stop what is using it',
      );
    }
    if (flags.detach) {
      const st = await startDetached(
        { host: flags.listen, port, dataDir, flushIntervalMs: flags['flush-interval-ms'] },
        paths,
      );
      if (!this.jsonEnabled())
        out.line(`embedded broker started: pid ${st.pid} on ${st.host}:${st.port}, data in ${st.dataDir}`);
      return { ...pick(st), detached: true, alreadyRunning: false };
    }
    const st = await runForeground(
      { host: flags.listen, port, dataDir, flushIntervalMs: flags['flush-interval-ms'] },
      (s) => {
        if (!this.jsonEnabled())
          out.line(
            `embedded broker listening on ${s.host}:${s.port}, data in ${s.dataDir} (Ctrl-C stops it)`,
          );
      },
    );
    return { ...pick(st), detached: false, alreadyRunning: false };
  }
}

function pick(st: BrokerState): Omit<BrokerStartResult, 'detached' | 'alreadyRunning'> {
  return { pid: st.pid, host: st.host, port: st.port, dataDir: st.dataDir };
}
