import type { Hook } from '@oclif/core';
import { output } from '../lib/render/output.js';

/** An unknown command gets the same one-line error, hint and exit code 2 as any usage error. */
const hook: Hook<'command_not_found'> = async function (opts) {
  const typed = opts.id.split(':').join(' ');
  const ids = opts.config.commandIDs.map((id) => id.split(':').join(' '));
  const first = typed.split(' ')[0] ?? '';
  const near = ids.filter((id) => id.startsWith(first + ' ') || id === first).slice(0, 8);
  const out = output();
  process.stderr.write(`${out.errColor.red('error:')} unknown command "${typed}"\n`);
  process.stderr.write(
    `${out.errColor.dim('hint:')} ${near.length ? `did you mean one of: ${near.join(', ')}` : 'run `eventbench --help` for the list of commands'}\n`,
  );
  process.exit(2);
};

export default hook;
