import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EbError } from '../cli/errors.js';
import { dataHome } from '../kafka/config.js';

/**
 * Life cycle of the embedded broker as a background process: started on first use (or by
 * `broker start --detach`), found again through a state file, stopped with SIGTERM (the broker
 * flushes and closes its logs). The broker itself lives in src/lib/broker and knows none of this.
 */

export interface BrokerState {
  pid: number;
  host: string;
  port: number;
  dataDir: string;
  logFile: string;
  startedAt: number;
}

export interface EmbeddedPaths {
  home: string;
  stateFile: string;
  dataDir: string;
  logFile: string;
  lockFile: string;
}

export function embeddedPaths(env: NodeJS.ProcessEnv = process.env): EmbeddedPaths {
  const home = dataHome(env);
  return {
    home,
    stateFile: join(home, 'broker.json'),
    dataDir: join(home, 'broker-data'),
    logFile: join(home, 'broker.log'),
    lockFile: join(home, 'broker.lock'),
  };
}

export const brokerEntry = fileURLToPath(new URL('../broker/bin.js', import.meta.url));

export function readState(paths = embeddedPaths()): BrokerState | undefined {
  try {
    return JSON.parse(readFileSync(paths.stateFile, 'utf8')) as BrokerState;
  } catch {
    return undefined;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** The running embedded broker, or undefined (a stale state file is removed). */
export function runningBroker(paths = embeddedPaths()): BrokerState | undefined {
  const st = readState(paths);
  if (!st) return undefined;
  if (pidAlive(st.pid)) return st;
  rmSync(paths.stateFile, { force: true });
  return undefined;
}

export interface StartOptions {
  host: string;
  port: number;
  dataDir?: string;
  /** fsync period for acks=1 data (the broker's flush policy); undefined = its default, 1000 ms. */
  flushIntervalMs?: number;
}

/** The broker process's arguments (src/lib/broker/bin.ts). */
export function brokerArgs(opts: StartOptions & { dataDir: string }, logLevel?: string): string[] {
  const args = [brokerEntry, '--port', String(opts.port), '--host', opts.host, '--data-dir', opts.dataDir];
  if (opts.flushIntervalMs !== undefined) args.push('--flush-interval-ms', String(opts.flushIntervalMs));
  if (logLevel) args.push('--log-level', logLevel);
  return args;
}

/** Starts the broker in the background and waits until it listens. */
export async function startDetached(opts: StartOptions, paths = embeddedPaths()): Promise<BrokerState> {
  mkdirSync(paths.home, { recursive: true });
  const dataDir = opts.dataDir ?? paths.dataDir;
  const logFd = openSync(paths.logFile, 'a');
  const child = spawn(process.execPath, brokerArgs({ ...opts, dataDir }, 'warn'), {
    detached: true,
    stdio: ['ignore', 'pipe', logFd],
  });
  closeSync(logFd);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new EbError(`the embedded broker did not start within 15 s; see ${paths.logFile}`)),
      15_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new EbError(`the embedded broker exited at start (code ${code})`, { hint: `see ${paths.logFile}` }),
      );
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const ev = JSON.parse(line) as { event?: string; port?: number };
        if (ev.event === 'listening' && ev.port) {
          clearTimeout(timer);
          resolve(ev.port);
        }
      } catch {
        /* not the ready line */
      }
    });
  });
  child.stdout!.destroy();
  child.removeAllListeners('exit');
  child.unref();
  const state: BrokerState = {
    pid: child.pid!,
    host: opts.host,
    port,
    dataDir,
    logFile: paths.logFile,
    startedAt: Date.now(),
  };
  const tmp = `${paths.stateFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, paths.stateFile);
  return state;
}

/**
 * Makes sure an embedded broker answers on host:port, starting one when none does. A lock file
 * keeps two commands started at once (a tail and a publish) from starting two brokers.
 */
export async function ensureEmbedded(
  host: string,
  port: number,
  onStart: (st: BrokerState) => void,
  paths = embeddedPaths(),
): Promise<void> {
  if (await portOpen(host, port)) return;
  mkdirSync(paths.home, { recursive: true });
  let fd: number | undefined;
  for (let i = 0; i < 100; i++) {
    try {
      fd = openSync(paths.lockFile, 'wx');
      break;
    } catch {
      // Someone else is starting it; a lock older than 30 s is stale.
      try {
        if (Date.now() - statSync(paths.lockFile).mtimeMs > 30_000) rmSync(paths.lockFile, { force: true });
      } catch {
        /* gone already */
      }
      if (await portOpen(host, port)) return;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  try {
    if (await portOpen(host, port)) return;
    onStart(await startDetached({ host, port }, paths));
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(paths.lockFile, { force: true });
  }
}

/** SIGTERM, then wait for the final flush; SIGKILL after the grace period. */
export async function stopBroker(
  st: BrokerState,
  paths = embeddedPaths(),
  graceMs = 15_000,
): Promise<{ forced: boolean }> {
  process.kill(st.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pidAlive(st.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  let forced = false;
  if (pidAlive(st.pid)) {
    process.kill(st.pid, 'SIGKILL');
    forced = true;
  }
  rmSync(paths.stateFile, { force: true });
  return { forced };
}

/** Bytes under a directory (for `broker status`). */
export function diskUsage(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += statSync(join(e.parentPath ?? e.path, e.name)).size;
  }
  return total;
}
