import { readFileSync } from 'node:fs';
import { EbError, ExitCode, usageError } from '../cli/errors.js';
import { type ConfigFile, type SaslMechanism, configPath, loadConfig, parseBrokers } from './config.js';

/** The embedded broker's fixed default port: not 9092, so it never fights a local Kafka. */
export const EMBEDDED_PORT = 9192;

export type TargetSource = 'flag' | 'context-flag' | 'env' | 'env-context' | 'current-context' | 'embedded';

export interface Target {
  readonly source: TargetSource;
  readonly brokers: string[];
  readonly contextName?: string;
  readonly clientId: string;
  readonly ssl?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean } | true;
  readonly sasl?: { mechanism: SaslMechanism; username: string; password: string };
  /** Short human description, e.g. "127.0.0.1:9092 (from --brokers)". */
  readonly describe: string;
}

export interface TargetInputs {
  brokersFlag?: string;
  contextFlag?: string;
  env?: NodeJS.ProcessEnv;
  config?: ConfigFile;
}

/**
 * Where commands connect, first match wins:
 *  1. --brokers
 *  2. --context NAME
 *  3. EVENTBENCH_BROKERS, then KAFKA_BROKERS
 *  4. EVENTBENCH_CONTEXT
 *  5. the config file's current context
 *  6. the embedded broker on 127.0.0.1:9192 (EVENTBENCH_EMBEDDED_PORT overrides)
 */
export function resolveTarget(inputs: TargetInputs = {}): Target {
  const env = inputs.env ?? process.env;
  const clientId = env.EVENTBENCH_CLIENT_ID || 'eventbench';
  if (inputs.brokersFlag !== undefined) {
    const brokers = parseBrokers(inputs.brokersFlag);
    return { source: 'flag', brokers, clientId, describe: `${brokers.join(',')} (from --brokers)` };
  }
  if (inputs.contextFlag !== undefined) {
    return fromContext(inputs.contextFlag, 'context-flag', inputs.config, env, clientId);
  }
  const envBrokers = env.EVENTBENCH_BROKERS
    ? 'EVENTBENCH_BROKERS'
    : env.KAFKA_BROKERS
      ? 'KAFKA_BROKERS'
      : undefined;
  if (envBrokers) {
    const brokers = parseBrokers(env[envBrokers] ?? '', envBrokers);
    return { source: 'env', brokers, clientId, describe: `${brokers.join(',')} (from ${envBrokers})` };
  }
  if (env.EVENTBENCH_CONTEXT) {
    return fromContext(env.EVENTBENCH_CONTEXT, 'env-context', inputs.config, env, clientId);
  }
  const cfg = inputs.config ?? loadConfig(configPath(env));
  if (cfg.currentContext) return fromContext(cfg.currentContext, 'current-context', cfg, env, clientId);
  const port = embeddedPort(env);
  const brokers = [`127.0.0.1:${port}`];
  return { source: 'embedded', brokers, clientId, describe: `embedded broker 127.0.0.1:${port}` };
}

/** The embedded broker's port: EVENTBENCH_EMBEDDED_PORT, else 9192. */
export function embeddedPort(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.EVENTBENCH_EMBEDDED_PORT;
  if (!text) return EMBEDDED_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw usageError(
      `EVENTBENCH_EMBEDDED_PORT "${text}" is not a port`,
      'give a number from 1 to 65535, or unset it',
    );
  }
  return port;
}

function fromContext(
  name: string,
  source: TargetSource,
  config: ConfigFile | undefined,
  env: NodeJS.ProcessEnv,
  defaultClientId: string,
): Target {
  const cfg = config ?? loadConfig(configPath(env));
  const ctx = cfg.contexts[name];
  if (!ctx) {
    const known = Object.keys(cfg.contexts);
    throw usageError(
      `no context named "${name}"`,
      known.length
        ? `known contexts: ${known.join(', ')}`
        : 'add one with `eventbench context add NAME --brokers host:port`',
    );
  }
  const brokers = parseBrokers(ctx.brokers.join(','), `context ${name} brokers`);
  let sasl: Target['sasl'];
  if (ctx.sasl) {
    const password = env[ctx.sasl.passwordEnv];
    if (password === undefined) {
      throw new EbError(
        `context "${name}" takes its SASL password from $${ctx.sasl.passwordEnv}, which is not set`,
        {
          hint: `export ${ctx.sasl.passwordEnv}=... before running`,
          exitCode: ExitCode.usage,
        },
      );
    }
    sasl = { mechanism: ctx.sasl.mechanism, username: ctx.sasl.username, password };
  }
  let ssl: Target['ssl'];
  if (ctx.tls) {
    const read = (p?: string) => {
      if (!p) return undefined;
      try {
        return readFileSync(p);
      } catch (err) {
        throw usageError(`context "${name}": cannot read TLS file ${p}: ${(err as Error).message}`);
      }
    };
    ssl = {
      ca: read(ctx.tls.ca),
      cert: read(ctx.tls.cert),
      key: read(ctx.tls.key),
      rejectUnauthorized: ctx.tls.rejectUnauthorized ?? true,
    };
  }
  const how =
    source === 'context-flag'
      ? '--context'
      : source === 'env-context'
        ? 'EVENTBENCH_CONTEXT'
        : 'current context';
  return {
    source,
    brokers,
    contextName: name,
    clientId: ctx.clientId ?? defaultClientId,
    ssl,
    sasl,
    describe: `${brokers.join(',')} (context "${name}", from ${how})`,
  };
}
