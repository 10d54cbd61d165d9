import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Everything a person sees goes through here: stdout for results, stderr for progress,
 * warnings and errors. Colour only on a terminal, never with NO_COLOR (https://no-color.org).
 */
export interface Output {
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly color: ChalkInstance;
  /** Colour for stderr (its own TTY check). */
  readonly errColor: ChalkInstance;
  line(text?: string): void;
  write(text: string): void;
  warn(text: string): void;
  info(text: string): void;
}

function colorLevel(isTTY: boolean): 0 | 1 | 2 | 3 {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return 1;
  if (!isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' ? 3 : 2;
}

export function createOutput(
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Output {
  const stdoutIsTTY = Boolean(stdout.isTTY);
  const stderrIsTTY = Boolean(stderr.isTTY);
  const color = new Chalk({ level: colorLevel(stdoutIsTTY) });
  const errColor = new Chalk({ level: colorLevel(stderrIsTTY) });
  return {
    stdoutIsTTY,
    stderrIsTTY,
    color,
    errColor,
    line: (text = '') => void stdout.write(text + '\n'),
    write: (text) => void stdout.write(text),
    warn: (text) => void stderr.write(errColor.yellow('warning: ') + text + '\n'),
    info: (text) => void stderr.write(errColor.dim(text) + '\n'),
  };
}

let shared: Output | undefined;
export function output(): Output {
  shared ??= createOutput();
  return shared;
}
