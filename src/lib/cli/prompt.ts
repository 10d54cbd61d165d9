import { usageError } from './errors.js';

/**
 * The one place that prompts. It never prompts without a terminal or with --json: the flag that
 * answers the prompt (`--force`) is then required, and its absence is a usage error.
 */
export async function confirmOrForce(
  question: string,
  opts: { force: boolean; json: boolean; action: string },
): Promise<boolean> {
  if (opts.force) return true;
  if (opts.json || !process.stdin.isTTY || !process.stdout.isTTY) {
    throw usageError(`refusing to ${opts.action} without confirmation`, 'pass --force to confirm in scripts');
  }
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: question, default: false });
}
