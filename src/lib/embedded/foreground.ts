import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EbError } from '../cli/errors.js';
import { brokerArgs, type BrokerState, type StartOptions } from './manager.js';

/**
 * `broker start` in the foreground: the broker runs as its own child process (so it never shares
 * a heap with the CLI), logs to this terminal, and stops with the final flush on Ctrl-C.
 */
export function runForeground(
  opts: StartOptions & { dataDir: string },
  onListening: (st: BrokerState) => void,
): Promise<BrokerState> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, brokerArgs(opts), {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let state: BrokerState | undefined;
    const forward = () => child.kill('SIGTERM');
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const ev = JSON.parse(line) as { event?: string; port?: number };
        if (ev.event === 'listening' && ev.port) {
          state = {
            pid: child.pid!,
            host: opts.host,
            port: ev.port,
            dataDir: opts.dataDir,
            logFile: '-',
            startedAt: Date.now(),
          };
          onListening(state);
        }
      } catch {
        /* not the ready line */
      }
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (state && (code === 0 || signal)) resolve(state);
      else reject(new EbError(`the embedded broker exited with code ${code ?? signal}`));
    });
  });
}
