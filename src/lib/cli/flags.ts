// Not '@oclif/core': its index also checks the Node version with semver (47 modules) at every start.
import * as Flags from '@oclif/core/flags';
import { logLevels, type LogLevel } from '../render/log.js';
// time.js, not the positions index: a command that only reads a duration flag loads no more.
import { parseDuration } from '../positions/time.js';
import { asUsageError } from './errors.js';

/** A duration flag in the positions grammar (500ms, 10s, 1h30m, PT5M); a bare number is milliseconds. */
export function parseDurationFlag(text: string, flag: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  try {
    return parseDuration(text);
  } catch (err) {
    throw asUsageError(err, flag);
  }
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
  // The value stays text ('10s'); BaseCommand.session() turns it into milliseconds. A number
  // value would need a defaultHelp function to show "10s" (oclif never passes a default through
  // parse()), and any function there marks the command as having dynamic help: `--help` then
  // imports the command module and everything it imports instead of reading the manifest.
  'connect-timeout': Flags.custom<string>({
    summary: 'Give up reaching the cluster after this long (exit code 3).',
    default: '10s',
    parse: async (input) => {
      parseDurationFlag(input, '--connect-timeout');
      return input;
    },
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
