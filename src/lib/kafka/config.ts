import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { EbError, ExitCode, usageError } from '../cli/errors.js';

/** How to reach one Kafka cluster. Secrets are never stored: `passwordEnv` names a variable. */
export interface ContextConfig {
  brokers: string[];
  clientId?: string;
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  sasl?: { mechanism: SaslMechanism; username: string; passwordEnv: string };
}

export const saslMechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof saslMechanisms)[number];

export interface ConfigFile {
  currentContext?: string;
  contexts: Record<string, ContextConfig>;
}

/** $EVENTBENCH_CONFIG, else $XDG_CONFIG_HOME/eventbench/config.json, else ~/.config/eventbench/config.json. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EVENTBENCH_CONFIG) return env.EVENTBENCH_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'eventbench', 'config.json');
}

/** $XDG_DATA_HOME/eventbench (default ~/.local/share/eventbench): broker data, pid and port files. */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EVENTBENCH_HOME) return env.EVENTBENCH_HOME;
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'eventbench');
}

export function loadConfig(path = configPath()): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: {} };
    throw new EbError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EbError(`config file ${path} is not valid JSON`, {
      hint: 'fix or remove it; `eventbench context add` rewrites it',
      exitCode: ExitCode.usage,
    });
  }
  const cfg = parsed as Partial<ConfigFile>;
  return { currentContext: cfg.currentContext, contexts: cfg.contexts ?? {} };
}

/** Writes the whole file atomically (temp file, then rename), so a crash never leaves half a config. */
export function saveConfig(cfg: ConfigFile, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

const hostPort = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Parses "h1:9092,h2:9092"; a missing port means 9092, as Kafka clients assume. */
export function parseBrokers(text: string, what = '--brokers'): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (/:\d+$/.test(s) ? s : `${s}:9092`));
  if (list.length === 0) throw usageError(`${what} is empty`, 'give host:port[,host:port...]');
  for (const b of list) {
    const m = hostPort.exec(b);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      throw usageError(
        `${what}: "${b}" is not host:port`,
        'give host:port[,host:port...], e.g. 127.0.0.1:9092',
      );
    }
  }
  return list;
}

export function validateContextName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw usageError(`bad context name "${name}"`, 'use letters, digits, ".", "_" or "-" (max 64)');
  }
  return name;
}
