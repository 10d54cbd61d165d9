import { output } from './output.js';

export const logLevels = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof logLevels)[number];

const rank: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

let current: LogLevel = 'warn';

export function setLogLevel(level: LogLevel): void {
  current = level;
}

export function logLevel(): LogLevel {
  return current;
}

export function logEnabled(level: Exclude<LogLevel, 'silent'>): boolean {
  return rank[level] <= rank[current];
}

/** Diagnostic lines on stderr, filtered by --log-level. Results never go through here. */
export function log(level: Exclude<LogLevel, 'silent'>, message: string): void {
  if (!logEnabled(level)) return;
  const out = output();
  const tag =
    level === 'error'
      ? out.errColor.red(level)
      : level === 'warn'
        ? out.errColor.yellow(level)
        : out.errColor.dim(level);
  process.stderr.write(`${tag} ${message}\n`);
}
