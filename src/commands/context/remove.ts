import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { confirmOrForce } from '../../lib/cli/prompt.js';
import { listContexts, removeContext, showContext } from '../../lib/kafka/contexts.js';
import { output } from '../../lib/render/output.js';

export interface ContextRemoveResult {
  /** null when the prompt was declined. */
  removed: string | null;
  wasCurrent: boolean;
  currentContext: string | null;
  configPath: string;
}

export default class ContextRemove extends BaseCommand<ContextRemoveResult> {
  static override summary = 'Remove a context from the config file.';
  static override description = `Only the entry in the config file goes; nothing on the cluster changes. If it was the current context, there is no current context afterwards.

Asks for confirmation on a terminal. In scripts (no terminal, or --json) it refuses unless --force is given.`;
  static override examples = [
    '<%= config.bin %> context remove staging',
    { description: 'In a script:', command: '<%= config.bin %> context remove staging --force' },
  ];
  static override args = {
    name: Args.string({ required: true, description: 'Context name' }),
  };
  static override flags = {
    force: Flags.boolean({ char: 'f', summary: 'Remove without asking.' }),
  };

  async run(): Promise<ContextRemoveResult> {
    const { args, flags } = await this.parse(ContextRemove);
    // Fails on an unknown name before anyone is asked anything.
    const ctx = showContext(args.name);
    const ok = await confirmOrForce(`Remove context "${ctx.name}" (${ctx.brokers.join(',')})?`, {
      force: flags.force,
      json: this.jsonEnabled(),
      action: `remove context "${ctx.name}"`,
    });
    if (!ok) {
      output().line('nothing removed');
      const { currentContext } = listContexts();
      return { removed: null, wasCurrent: false, currentContext, configPath: ctx.configPath };
    }
    const result = removeContext(args.name);
    if (!this.jsonEnabled()) {
      const out = output();
      out.line(`removed context "${result.removed}"`);
      if (result.wasCurrent) out.line('it was the current context; there is no current context now');
    }
    return result;
  }
}
