import { Args } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { showContext, type ContextDetails } from '../../lib/kafka/contexts.js';
import { output } from '../../lib/render/output.js';

export type ContextShowResult = ContextDetails;

export default class ContextShow extends BaseCommand<ContextShowResult> {
  static override summary = 'Show one context in full (the current one if no name is given).';
  static override description = `Shows brokers, client id, TLS files and SASL settings. The password is never shown: only the name of the environment variable that holds it, and whether that variable is set in this shell.

Warnings point at what would make a command with this context fail now: a TLS file that cannot be read, or a password variable that is not set.`;
  static override examples = [
    { description: 'The current context:', command: '<%= config.bin %> context show' },
    { description: 'A named context, as JSON:', command: '<%= config.bin %> context show prod --json' },
  ];
  static override args = {
    name: Args.string({ description: 'Context name (default: the current context)' }),
  };

  async run(): Promise<ContextShowResult> {
    const { args } = await this.parse(ContextShow);
    const ctx = showContext(args.name);
    if (!this.jsonEnabled()) renderDetails(ctx);
    return ctx;
  }
}

/** Key/value lines; shared with `context add`, which shows what it stored. */
export function renderDetails(ctx: ContextDetails): void {
  const out = output();
  const tls = ctx.tls
    ? [
        'on',
        `ca=${ctx.tls.ca ?? '(system CAs)'}`,
        ...(ctx.tls.cert ? [`cert=${ctx.tls.cert}`, `key=${ctx.tls.key}`] : []),
        ctx.tls.rejectUnauthorized ? 'verify=yes' : 'verify=NO (insecure)',
      ].join(' ')
    : 'off';
  const sasl = ctx.sasl
    ? `${ctx.sasl.mechanism} as ${ctx.sasl.username}, password from $${ctx.sasl.passwordEnv} ` +
      (ctx.sasl.passwordSet ? '(set)' : '(NOT set)')
    : 'off';
  const rows: [string, string][] = [
    ['context', ctx.name + (ctx.current ? ' (current)' : '')],
    ['brokers', ctx.brokers.join(',')],
    ['client id', ctx.clientId ?? 'eventbench (default)'],
    ['tls', tls],
    ['sasl', sasl],
    ['config file', ctx.configPath],
  ];
  for (const [k, v] of rows) out.line(`${k.padEnd(12)}${v}`);
  for (const w of ctx.warnings) out.warn(w);
}
