import { Flags } from '@oclif/core';
import { logLevels, type LogLevel } from '../render/log.js';
import { parseDuration } from '../positions/index.js';
import { asUsageError } from './errors.js';

/** Milliseconds from "500ms", "10s", "2m", "1h" or a bare number of milliseconds. */
export function parseDurationFlag(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m)
    throw usageError(
      `${flag}: "${text}" is not a duration`,
      'use e.g. 500ms, 10s, 2m or a number of milliseconds',
    );
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms'];
  return Math.round(Number(m[1]) * unit);
}

/** Flags every command that talks to Kafka shares. */
export const targetFlags = {
  brokers: Flags.string({
    char: 'b',
    summary: 'Bootstrap brokers, host:port[,host:port]. Overrides KAFKA_BROKERS and contexts.',
    helpGroup: 'TARGET',
  }),
  context: Flags.string({
    summary: 'Use this named context from the config file (see `eventbench context list`).',
    helpGroup: 'TARGET',
  }),
  'connect-timeout': Flags.custom<number>({
    summary: 'Give up reaching the cluster after this long (exit code 3).',
    default: 10_000,
    defaultHelp: async () => '10s',
    parse: async (input) => parseDurationFlag(input, '--connect-timeout'),
    helpGroup: 'TARGET',
  })(),
};

export const logLevelFlag = {
  'log-level': Flags.custom<LogLevel>({
    summary: 'Diagnostics on stderr. kafkajs client logs appear at info and debug.',
    options: [...logLevels],
    default: 'warn',
    helpGroup: 'GLOBAL',
  })(),
};
