import type { Interfaces } from '@oclif/core';
// The narrow entry points, as in flags.ts: '@oclif/core' itself also loads semver.
import { Command } from '@oclif/core/command';
import { CLIError } from '@oclif/core/errors';
import { KafkaSession } from '../kafka/client.js';
import { resolveTarget, type Target } from '../kafka/target.js';
import { output } from '../render/output.js';
import { setLogLevel, type LogLevel } from '../render/log.js';
import { EbError, ExitCode } from './errors.js';
import { logLevelFlag, parseDurationFlag, targetFlags } from './flags.js';
import { translateKafkaError } from './kafka-errors.js';

export type TargetFlagValues = { brokers?: string; context?: string; 'connect-timeout': string };

/**
 * What every command shares: --json (a typed result per command), --log-level, and the one
 * catch that turns any error into a message, a hint and an exit code (never a stack trace).
 */
export abstract class BaseCommand<T> extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = { ...logLevelFlag };

  private sessions: KafkaSession[] = [];

  public abstract override run(): Promise<T>;

  protected override async init(): Promise<void> {
    await super.init();
    // Read --log-level early without a full parse, so it applies during parsing too.
    const i = this.argv.findIndex((a) => a === '--log-level' || a.startsWith('--log-level='));
    const value =
      i < 0 ? undefined : this.argv[i]?.includes('=') ? this.argv[i]?.split('=')[1] : this.argv[i + 1];
    if (value && ['silent', 'error', 'warn', 'info', 'debug'].includes(value)) setLogLevel(value as LogLevel);
  }

  /** Resolves where to connect (flags > env > context > embedded) and opens a session there. */
  protected async session(flags: TargetFlagValues): Promise<KafkaSession> {
    const target = this.resolve(flags);
    const s = await KafkaSession.open(target, {
      connectTimeoutMs: parseDurationFlag(flags['connect-timeout'], '--connect-timeout'),
      beforeConnect: (t) => this.beforeConnect(t, flags),
    });
    this.sessions.push(s);
    return s;
  }

  protected resolve(flags: TargetFlagValues): Target {
    return resolveTarget({ brokersFlag: flags.brokers, contextFlag: flags.context });
  }

  /** With no broker configured, the embedded broker is the target: start it on first use. */
  protected async beforeConnect(target: Target, _flags: TargetFlagValues): Promise<void> {
    if (target.source !== 'embedded') return;
    // Loaded only here (with child_process and readline): a command with --brokers never needs it.
    const { ensureEmbedded } = await import('../embedded/manager.js');
    const [host = '127.0.0.1', port = '9192'] = (target.brokers[0] ?? '').split(':');
    await ensureEmbedded(host, Number(port), (st) =>
      output().info(
        `started the embedded broker on ${st.host}:${st.port} (data in ${st.dataDir}); stop it with \`eventbench broker stop\``,
      ),
    );
  }

  protected override async finally(err: Error | undefined): Promise<void> {
    for (const s of this.sessions.splice(0)) await s.close();
    await super.finally(err);
  }

  protected override async catch(err: Error & { exitCode?: number }): Promise<void> {
    const e = toEbError(err);
    process.exitCode = e.exitCode;
    if (this.jsonEnabled()) {
      this.logJson({ error: { message: e.message, hint: e.hint ?? null, exitCode: e.exitCode } });
      return;
    }
    const out = output();
    process.stderr.write(`${out.errColor.red('error:')} ${e.message}\n`);
    if (e.hint) process.stderr.write(`${out.errColor.dim('hint:')} ${e.hint}\n`);
  }
}

export type FlagsOf<C extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & C['flags']
>;
export { targetFlags };

function toEbError(err: unknown): EbError {
  if (err instanceof EbError) {
    // oclif prefixes errors thrown inside a flag's parse() with "Parsing --flag" lines.
    const m = /^Parsing --\S+\s*\n\s*([^\n]*)/.exec(err.message);
    return m?.[1] ? new EbError(m[1], { hint: err.hint, exitCode: err.exitCode }) : err;
  }
  if (err instanceof CLIError) {
    // oclif's own parse errors (unknown flag, missing argument, bad option) are usage errors.
    const exit = (err as CLIError).oclif?.exit;
    // oclif wraps a flag parser's own error as "Parsing --flag\n\t<our message>\nSee more help...";
    // keep our message (and its hint, when the cause carried one) on one line.
    const lines = err.message
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !/^See more help/.test(l));
    // "Missing 1 required arg:\n<name>  <description>\nNote: ..." → "missing required argument: <name>".
    const missing = /^Missing \d+ required args?:?$/.test(lines[0] ?? '');
    const message = missing
      ? `missing required argument: ${lines
          .slice(1)
          .filter((l) => !l.startsWith('Note:') && !l.startsWith('Alternatively'))
          .map((l) => l.split(/\s{2,}/)[0])
          .join(', ')}`
      : lines[0]?.startsWith('Parsing --') && lines[1]
        ? lines.slice(1).join(' ')
        : (lines[0] ?? err.message);
    const hint =
      (err as { hint?: string }).hint ??
      (missing || lines[0]?.startsWith('Parsing --') ? undefined : lines.slice(1).join(' '));
    return new EbError(message, {
      hint: hint || 'see --help',
      exitCode: exit === 2 || exit === undefined ? ExitCode.usage : (exit as 1),
    });
  }
  return translateKafkaError(err);
}
