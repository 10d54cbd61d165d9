import { Flags } from '@oclif/core';
import { asUsageError } from '../cli/errors.js';
import { parsePosition, parseTime, type Position } from '../positions/index.js';
import { defaultDbPath } from './db.js';
import { DEFAULT_PREFIX } from './runtime.js';

/** Flags the projection commands share. */
export const dbFlag = Flags.string({
  summary: 'The SQLite file (default $XDG_DATA_HOME/eventbench/projections/<name>.db).',
});

export const prefixFlag = Flags.string({
  summary: 'Read topics <prefix>.<domain>.<shape> (the catalogue convention is eb).',
  default: DEFAULT_PREFIX,
});

export function dbPathFor(name: string, db: string | undefined): string {
  return db ?? defaultDbPath(name);
}

/** A position flag (--from/--until) in the positions grammar; a bad one is a usage error. */
export function positionFlag(text: string, flag: string, allowEnd: boolean): Position {
  try {
    return parsePosition(text, { allowEnd });
  } catch (err) {
    throw asUsageError(err, flag);
  }
}

/**
 * A point in time for --until/--at: `@<time>`, or a bare time (ISO 8601, epoch, -<duration>),
 * which we read as `@<time>`; offsets and `end` pass through as positions.
 */
export function timeOrPosition(text: string, flag: string): Position {
  const t = text.trim();
  if (t === 'end' || t === 'latest' || t.startsWith('@') || t.includes('=') || /^[+]?\d{1,9}$/.test(t))
    return positionFlag(t, flag, true);
  try {
    return { kind: 'time', ms: parseTime(t) };
  } catch (err) {
    throw asUsageError(err, flag);
  }
}

/** --pace real | <N>x → speed factor. */
export function parsePace(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'real') return 1;
  const m = /^(\d+(?:\.\d+)?)x$/.exec(t);
  if (!m || Number(m[1]) <= 0)
    throw asUsageError(
      { message: `"${text}" is not a pace`, hint: 'use real, or a speed-up like 10x or 0.5x' },
      '--pace',
    );
  return Number(m[1]);
}
