import { accessSync, constants, statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { EbError, usageError } from '../cli/errors.js';
import {
  type ConfigFile,
  type ContextConfig,
  type SaslMechanism,
  configPath,
  loadConfig,
  parseBrokers,
  saslMechanisms,
  saveConfig,
  validateContextName,
} from './config.js';
import { resolveTarget, type TargetSource } from './target.js';

/** Where the contexts live; tests pass their own env and path, commands use the defaults. */
export interface StoreOptions {
  env?: NodeJS.ProcessEnv;
  path?: string;
}

/** What `context add` was given, before validation. */
export interface ContextSpec {
  brokers: string | string[];
  clientId?: string;
  /** Present (even empty) means TLS on; files are checked and stored as absolute paths. */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  sasl?: { mechanism?: string; username?: string; passwordEnv?: string };
}

export interface ContextSummary {
  name: string;
  current: boolean;
  brokers: string[];
  clientId: string | null;
  tls: boolean;
  sasl: { mechanism: SaslMechanism; username: string } | null;
}

/** Where a command run now without --brokers/--context would connect, or why it could not. */
export interface TargetNow {
  source: TargetSource | null;
  describe: string | null;
  context: string | null;
  error: string | null;
}

export interface ContextListing {
  configPath: string;
  currentContext: string | null;
  contexts: ContextSummary[];
  target: TargetNow;
}

/** One context in full, minus the secret: only the password variable's name and whether it is set. */
export interface ContextDetails {
  name: string;
  current: boolean;
  configPath: string;
  brokers: string[];
  clientId: string | null;
  tls: { ca: string | null; cert: string | null; key: string | null; rejectUnauthorized: boolean } | null;
  sasl: { mechanism: SaslMechanism; username: string; passwordEnv: string; passwordSet: boolean } | null;
  /** Things that would make a command using this context fail or be unsafe right now. */
  warnings: string[];
}

export interface ContextAddResult {
  context: ContextDetails;
  replaced: boolean;
}

export interface ContextUseResult {
  currentContext: string | null;
  previous: string | null;
  configPath: string;
}

export interface ContextRemoveResult {
  removed: string;
  wasCurrent: boolean;
  currentContext: string | null;
  configPath: string;
}

function store(opts: StoreOptions): { env: NodeJS.ProcessEnv; path: string; cfg: ConfigFile } {
  const env = opts.env ?? process.env;
  const path = opts.path ?? configPath(env);
  return { env, path, cfg: loadConfig(path) };
}

export function listContexts(opts: StoreOptions = {}): ContextListing {
  const { env, path, cfg } = store(opts);
  const contexts = Object.entries(cfg.contexts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, ctx]) => ({
      name,
      current: name === cfg.currentContext,
      brokers: ctx.brokers,
      clientId: ctx.clientId ?? null,
      tls: ctx.tls !== undefined,
      sasl: ctx.sasl ? { mechanism: ctx.sasl.mechanism, username: ctx.sasl.username } : null,
    }));
  return {
    configPath: path,
    currentContext: cfg.currentContext ?? null,
    contexts,
    target: targetNow(env, cfg),
  };
}

function targetNow(env: NodeJS.ProcessEnv, cfg: ConfigFile): TargetNow {
  try {
    const t = resolveTarget({ env, config: cfg });
    return { source: t.source, describe: t.describe, context: t.contextName ?? null, error: null };
  } catch (err) {
    // A listing must still work when the current context is broken; it says why instead.
    const e = err as EbError;
    return { source: null, describe: null, context: null, error: e.message + (e.hint ? ` (${e.hint})` : '') };
  }
}

/** One context in full; without a name, the current one. */
export function showContext(name: string | undefined, opts: StoreOptions = {}): ContextDetails {
  const { env, path, cfg } = store(opts);
  const which = name ?? cfg.currentContext;
  if (which === undefined) {
    throw usageError(
      'no context named and no current context',
      'give a name (see `eventbench context list`) or pick one with `eventbench context use NAME`',
    );
  }
  return details(which, known(cfg, which), cfg, env, path);
}

export function addContext(
  name: string,
  spec: ContextSpec,
  flags: { use?: boolean; overwrite?: boolean } = {},
  opts: StoreOptions = {},
): ContextAddResult {
  validateContextName(name);
  const { env, path, cfg } = store(opts);
  const replaced = name in cfg.contexts;
  if (replaced && !flags.overwrite) {
    throw usageError(
      `context "${name}" already exists`,
      `pass --overwrite to replace it, or \`eventbench context remove ${name}\` first`,
    );
  }
  const ctx = buildContext(spec);
  cfg.contexts[name] = ctx;
  if (flags.use) cfg.currentContext = name;
  saveConfig(cfg, path);
  return { context: details(name, ctx, cfg, env, path), replaced };
}

/** Makes `name` the current context; null clears it, so commands fall back to the embedded broker. */
export function useContext(name: string | null, opts: StoreOptions = {}): ContextUseResult {
  const { path, cfg } = store(opts);
  if (name !== null) known(cfg, name);
  const previous = cfg.currentContext ?? null;
  if (name === null) delete cfg.currentContext;
  else cfg.currentContext = name;
  saveConfig(cfg, path);
  return { currentContext: name, previous, configPath: path };
}

export function removeContext(name: string, opts: StoreOptions = {}): ContextRemoveResult {
  const { path, cfg } = store(opts);
  known(cfg, name);
  delete cfg.contexts[name];
  const wasCurrent = cfg.currentContext === name;
  // A current context that no longer exists would make every command fail; fall back instead.
  if (wasCurrent) delete cfg.currentContext;
  saveConfig(cfg, path);
  return { removed: name, wasCurrent, currentContext: cfg.currentContext ?? null, configPath: path };
}

function known(cfg: ConfigFile, name: string): ContextConfig {
  const ctx = cfg.contexts[name];
  if (ctx) return ctx;
  const names = Object.keys(cfg.contexts).sort();
  throw usageError(
    `no context named "${name}"`,
    names.length
      ? `known contexts: ${names.join(', ')}`
      : 'there are no contexts yet; add one with `eventbench context add NAME --brokers host:port`',
  );
}

function buildContext(spec: ContextSpec): ContextConfig {
  const brokers = parseBrokers(Array.isArray(spec.brokers) ? spec.brokers.join(',') : spec.brokers);
  const ctx: ContextConfig = { brokers };
  if (spec.clientId !== undefined) {
    if (!spec.clientId.trim()) throw usageError('--client-id is empty', 'give a name, or leave it out');
    ctx.clientId = spec.clientId.trim();
  }
  if (spec.tls) {
    const { ca, cert, key, rejectUnauthorized } = spec.tls;
    if ((cert === undefined) !== (key === undefined)) {
      throw usageError('--tls-cert and --tls-key go together', 'a client certificate needs its private key');
    }
    ctx.tls = {
      ...(ca !== undefined && { ca: tlsFile(ca, '--tls-ca') }),
      ...(cert !== undefined && { cert: tlsFile(cert, '--tls-cert') }),
      ...(key !== undefined && { key: tlsFile(key, '--tls-key') }),
      rejectUnauthorized: rejectUnauthorized ?? true,
    };
  }
  if (spec.sasl) ctx.sasl = buildSasl(spec.sasl);
  return ctx;
}

const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function buildSasl(sasl: NonNullable<ContextSpec['sasl']>): NonNullable<ContextConfig['sasl']> {
  const { mechanism, username, passwordEnv } = sasl;
  if (mechanism === undefined || username === undefined || passwordEnv === undefined) {
    throw usageError(
      'SASL needs --sasl-mechanism, --sasl-username and --password-env together',
      'e.g. --sasl-mechanism scram-sha-512 --sasl-username alice --password-env KAFKA_PASSWORD',
    );
  }
  const m = mechanism.trim().toLowerCase();
  if (!saslMechanisms.includes(m as SaslMechanism)) {
    throw usageError(
      `SASL mechanism "${mechanism}" is not supported`,
      `use one of: ${saslMechanisms.join(', ')}`,
    );
  }
  if (!username.trim()) throw usageError('--sasl-username is empty');
  // Deliberately not echoing the value: someone may have typed the password itself here.
  if (!envName.test(passwordEnv)) {
    throw usageError(
      '--password-env takes the NAME of an environment variable, not a password',
      'e.g. --password-env KAFKA_PASSWORD, then `export KAFKA_PASSWORD=...` before running commands',
    );
  }
  return { mechanism: m as SaslMechanism, username: username.trim(), passwordEnv };
}

/** Checked at add time so a typo fails now, not on the first connection; stored absolute so any cwd works. */
function tlsFile(path: string, flag: string): string {
  const abs = resolvePath(path);
  try {
    if (!statSync(abs).isFile()) throw new Error('not a regular file');
    accessSync(abs, constants.R_OK);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (err as Error).message;
    throw usageError(`${flag} ${path}: ${why}`, 'give the path of a PEM file');
  }
  return abs;
}

function details(
  name: string,
  ctx: ContextConfig,
  cfg: ConfigFile,
  env: NodeJS.ProcessEnv,
  path: string,
): ContextDetails {
  const warnings: string[] = [];
  for (const [what, file] of Object.entries({ ca: ctx.tls?.ca, cert: ctx.tls?.cert, key: ctx.tls?.key })) {
    if (file !== undefined && !readable(file)) warnings.push(`TLS ${what} file ${file} cannot be read`);
  }
  let sasl: ContextDetails['sasl'] = null;
  if (ctx.sasl) {
    const passwordSet = env[ctx.sasl.passwordEnv] !== undefined;
    // Field by field, never a spread: nothing else from the file may reach the output.
    const { mechanism, username, passwordEnv } = ctx.sasl;
    sasl = { mechanism, username, passwordEnv, passwordSet };
    if (!passwordSet)
      warnings.push(`$${ctx.sasl.passwordEnv} is not set; export it before using this context`);
    // SASL/PLAIN sends the password as-is; only TLS protects it on the wire (KIP-43).
    if (ctx.sasl.mechanism === 'plain' && !ctx.tls)
      warnings.push('SASL plain without TLS sends the password in clear text');
  }
  return {
    name,
    current: cfg.currentContext === name,
    configPath: path,
    brokers: ctx.brokers,
    clientId: ctx.clientId ?? null,
    tls: ctx.tls
      ? {
          ca: ctx.tls.ca ?? null,
          cert: ctx.tls.cert ?? null,
          key: ctx.tls.key ?? null,
          rejectUnauthorized: ctx.tls.rejectUnauthorized ?? true,
        }
      : null,
    sasl,
    warnings,
  };
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The precedence order, worded once for every command's --help. */
export const targetOrderHelp = `Commands pick where to connect in this order; the first that is given wins:
  1. --brokers host:port[,host:port]
  2. --context NAME
  3. EVENTBENCH_BROKERS, then KAFKA_BROKERS
  4. EVENTBENCH_CONTEXT=NAME
  5. the current context (set with \`eventbench context use NAME\`)
  6. the embedded broker on 127.0.0.1:9192 (EVENTBENCH_EMBEDDED_PORT changes the port)

Contexts live in one JSON file: $EVENTBENCH_CONFIG if set, else
$XDG_CONFIG_HOME/eventbench/config.json, else ~/.config/eventbench/config.json.`;
