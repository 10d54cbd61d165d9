import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { usageError } from '../../lib/cli/errors.js';
import { targetOrderHelp, useContext, type ContextUseResult } from '../../lib/kafka/contexts.js';
import { output } from '../../lib/render/output.js';

export type { ContextUseResult };

export default class ContextUse extends BaseCommand<ContextUseResult> {
  static override summary = 'Make a context the current one, used when no flag or variable says otherwise.';
  static override description = `The current context is step 5 of the order below, so --brokers, --context and the environment variables still win over it. \`--none\` clears it, and commands go back to the embedded broker.

${targetOrderHelp}`;
  static override examples = [
    {
      description: 'Work against the "prod" context from now on:',
      command: '<%= config.bin %> context use prod',
    },
    { description: 'Go back to the embedded broker:', command: '<%= config.bin %> context use --none' },
  ];
  static override args = {
    name: Args.string({ description: 'Context name (see `eventbench context list`)' }),
  };
  static override flags = {
    none: Flags.boolean({ summary: 'Clear the current context.' }),
  };

  async run(): Promise<ContextUseResult> {
    const { args, flags } = await this.parse(ContextUse);
    if (args.name === undefined && !flags.none) {
      throw usageError('give a context name, or --none', 'see `eventbench context list` for the names');
    }
    if (args.name !== undefined && flags.none) throw usageError('give a context name or --none, not both');
    const result = useContext(flags.none ? null : (args.name ?? null));
    if (!this.jsonEnabled()) {
      output().line(
        result.currentContext === null
          ? 'no current context; commands use --brokers, the environment, or the embedded broker'
          : `current context is now "${result.currentContext}"`,
      );
    }
    return result;
  }
}
