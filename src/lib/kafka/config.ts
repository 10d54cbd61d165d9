import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
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
  const base = xdgBase(env.XDG_CONFIG_HOME) ?? join(homedir(), '.config');
  return join(base, 'eventbench', 'config.json');
}

/** $XDG_DATA_HOME/eventbench (default ~/.local/share/eventbench): broker data, pid and port files. */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EVENTBENCH_HOME) return env.EVENTBENCH_HOME;
  const base = xdgBase(env.XDG_DATA_HOME) ?? join(homedir(), '.local', 'share');
  return join(base, 'eventbench');
}

/** The XDG base directory spec says a relative path in these variables is invalid and ignored. */
function xdgBase(value: string | undefined): string | undefined {
  return value && isAbsolute(value) ? value : undefined;
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
  return checkShape(parsed, path);
}

/**
 * A hand-edited file can be valid JSON and still the wrong shape (`null`, brokers as a string);
 * catching that here gives one exit-2 message naming the file instead of a TypeError later.
 */
function checkShape(parsed: unknown, path: string): ConfigFile {
  const bad = (what: string) =>
    new EbError(`config file ${path}: ${what}`, {
      hint: 'fix or remove it; see docs/configuration.md for the format',
      exitCode: ExitCode.usage,
    });
  if (!isObject(parsed)) throw bad('expected a JSON object');
  const { currentContext, contexts = {} } = parsed;
  if (currentContext !== undefined && currentContext !== null && typeof currentContext !== 'string')
    throw bad('"currentContext" must be a string');
  if (!isObject(contexts)) throw bad('"contexts" must be an object of named contexts');
  for (const [name, ctx] of Object.entries(contexts)) {
    if (!isObject(ctx)) throw bad(`context "${name}" must be an object`);
    const { brokers, sasl, tls } = ctx;
    if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every((b) => typeof b === 'string'))
      throw bad(`context "${name}": "brokers" must be a non-empty array of "host:port" strings`);
    if (tls !== undefined && !isObject(tls)) throw bad(`context "${name}": "tls" must be an object`);
    if (sasl !== undefined) {
      if (!isObject(sasl)) throw bad(`context "${name}": "sasl" must be an object`);
      if (!saslMechanisms.includes(sasl.mechanism as SaslMechanism))
        throw bad(`context "${name}": sasl.mechanism must be one of ${saslMechanisms.join(', ')}`);
      if ('password' in sasl)
        throw bad(`context "${name}": passwords are never stored here; name a variable in "passwordEnv"`);
      if (typeof sasl.username !== 'string' || typeof sasl.passwordEnv !== 'string')
        throw bad(`context "${name}": sasl needs "username" and "passwordEnv" strings`);
    }
  }
  return {
    currentContext: typeof currentContext === 'string' ? currentContext : undefined,
    contexts: contexts as Record<string, ContextConfig>,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Writes the whole file atomically (temp file, then rename), so a crash never leaves half a config. */
export function saveConfig(cfg: ConfigFile, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new EbError(`cannot write config file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

const hostPort = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Parses "h1:9092,h2:9092"; a missing port means 9092, as Kafka clients assume. */
export function parseBrokers(text: string, what = '--brokers'): string[] {
  const given = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (given.length === 0) throw usageError(`${what} is empty`, 'give host:port[,host:port...]');
  return given.map((b) => {
    const full = /:\d+$/.test(b) ? b : `${b}:9092`;
    const m = hostPort.exec(full);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      // Name the entry as given, not with the default port we appended to it.
      throw usageError(
        `${what}: "${b}" is not host:port`,
        'give host:port[,host:port...] with a port from 1 to 65535, e.g. 127.0.0.1:9092',
      );
    }
    // kafkajs 2.2.4 splits a bootstrap address at its first ":", so a bracketed IPv6 literal
    // would be dialled as host "[". Say so instead of failing obscurely.
    if (full.startsWith('[')) {
      throw usageError(
        `${what}: IPv6 literal "${b}" is not supported by the kafkajs client`,
        'use a host name that resolves to it, or an IPv4 address',
      );
    }
    return full;
  });
}

export function validateContextName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw usageError(`bad context name "${name}"`, 'use letters, digits, ".", "_" or "-" (max 64)');
  }
  return name;
}
