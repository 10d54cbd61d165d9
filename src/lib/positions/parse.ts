import { PositionError, positionHint } from './errors.js';
import { parseDuration, parseTime } from './time.js';

/** One place in one partition's log, before it is resolved against that partition's bounds. */
export type SinglePosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  /** `--until end`: the log end offsets recorded when the command started. */
  | { kind: 'end' }
  | { kind: 'offset'; offset: number }
  /**
   * `+N` / `-N`. Relative to the log start (`+`) or end (`-`) for tail and replay; relative to
   * the committed offset for group rewind (see ResolveOptions.relativeTo).
   */
  | { kind: 'shift'; sign: '+' | '-'; n: number }
  /** `@<time>` and `@-<duration>`; `agoMs` is set for the latter (for descriptions only). */
  | { kind: 'time'; ms: number; agoMs?: number };

/** A per-partition map: `0=100,1=@2026-11-20T10:00Z,2=earliest`. Entries are in the order given. */
export type PartitionMapPosition = {
  kind: 'map';
  entries: ReadonlyArray<{ partition: number; position: SinglePosition }>;
};

export type Position = SinglePosition | PartitionMapPosition;

export interface ParseOptions {
  /** Accept `end` (for `--until`). Default false. */
  allowEnd?: boolean;
  /** Epoch ms that `@-<duration>` counts back from. Default Date.now(). */
  now?: number;
}

/** Parses a position. Throws PositionError (message + one-line hint) on anything else. */
export function parsePosition(text: string, opts: ParseOptions = {}): Position {
  const allowEnd = opts.allowEnd ?? false;
  const now = opts.now ?? Date.now();
  const t = text.trim();
  const fail = (message: string): PositionError => new PositionError(message, positionHint(allowEnd));
  if (t === '') throw fail('empty position');
  if (t.includes('=')) return parseMap(t, allowEnd, now, fail);
  if (t.includes(',')) {
    throw fail(
      `"${t}" looks like a list; a per-partition map needs partition=position entries (0=100,1=latest)`,
    );
  }
  return parseSingle(t, allowEnd, now, fail);
}

function parseMap(
  t: string,
  allowEnd: boolean,
  now: number,
  fail: (m: string) => PositionError,
): PartitionMapPosition {
  const entries: { partition: number; position: SinglePosition }[] = [];
  const seen = new Set<number>();
  for (const raw of t.split(',')) {
    const entry = raw.trim();
    if (entry === '') throw fail(`empty entry in partition map "${t}"`);
    const eq = entry.indexOf('=');
    if (eq < 0) throw fail(`map entry "${entry}" has no "=": write partition=position`);
    const p = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (!/^\d+$/.test(p) || !Number.isSafeInteger(Number(p))) {
      throw fail(`map entry "${entry}": partition "${p}" is not a non-negative integer`);
    }
    const partition = Number(p);
    if (seen.has(partition)) throw fail(`partition ${partition} appears twice in map "${t}"`);
    seen.add(partition);
    if (value.includes('=')) throw fail(`map entry "${entry}": maps cannot be nested`);
    if (value === '') throw fail(`map entry "${entry}" has no position after "="`);
    const position = parseSingle(value, allowEnd, now, (m) => fail(`partition ${partition}: ${m}`));
    entries.push({ partition, position });
  }
  return { kind: 'map', entries };
}

function parseSingle(
  t: string,
  allowEnd: boolean,
  now: number,
  fail: (m: string) => PositionError,
): SinglePosition {
  const word = t.toLowerCase();
  if (word === 'earliest') return { kind: 'earliest' };
  if (word === 'latest') return { kind: 'latest' };
  if (word === 'end') {
    if (allowEnd) return { kind: 'end' };
    throw fail(
      '"end" is only for --until (stop where the log ended at start-up); to start at the end use "latest"',
    );
  }
  // Words peers use (kcat's beginning/end/stored), answered with ours rather than guessed.
  const alias: Record<string, string> = {
    beginning: 'earliest',
    start: 'earliest',
    first: 'earliest',
    last: 'latest',
    now: 'latest',
  };
  const meant = alias[word];
  if (meant !== undefined) throw fail(`unknown position "${t}"; did you mean "${meant}"?`);

  if (/^\d+$/.test(t)) return { kind: 'offset', offset: safeInt(t, 'offset', fail) };
  if (t.startsWith('+') || t.startsWith('-')) {
    const sign = t[0] as '+' | '-';
    const rest = t.slice(1);
    if (/^\d+$/.test(rest)) return { kind: 'shift', sign, n: safeInt(rest, 'count', fail) };
    if (rest.startsWith('-') || rest.startsWith('+')) {
      throw fail(`"${t}": after "${sign}" expected a count of records (e.g. ${sign}10), not another sign`);
    }
    if (sign === '-' && /^\d/.test(rest)) {
      throw fail(`"${t}" is not a count of records; for a time that long ago write "@${t}"`);
    }
    throw fail(`"${t}": after "${sign}" expected a count of records (e.g. ${sign}10)`);
  }
  if (t.startsWith('@')) return parseAt(t, now, fail);
  if (/^\d/.test(t)) {
    throw fail(`"${t}" is not an offset (a non-negative integer); for a time write "@${t}"`);
  }
  throw fail(`unknown position "${t}"`);
}

function parseAt(t: string, now: number, fail: (m: string) => PositionError): SinglePosition {
  const body = t.slice(1).trim();
  if (body === '') throw fail('"@" needs a time after it, e.g. @2026-11-20T10:00Z or @-15m');
  if (body.startsWith('+'))
    throw fail(`"${t}": a time cannot be in the future relative to now; use @-<duration>`);
  if (body.startsWith('-')) {
    const agoMs = wrap(() => parseDuration(body.slice(1)), fail);
    return { kind: 'time', ms: now - agoMs, agoMs };
  }
  if (/^\d+(\.\d+)?[a-zA-Z]+$/.test(body) || /^P/i.test(body)) {
    throw fail(`"${t}" is a duration; for that long before now write "@-${body}"`);
  }
  return { kind: 'time', ms: wrap(() => parseTime(body, now), fail) };
}

function safeInt(digits: string, what: string, fail: (m: string) => PositionError): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) throw fail(`${what} ${digits} is too large (max ${Number.MAX_SAFE_INTEGER})`);
  return n;
}

/** Re-raises a time/duration error with the caller's prefix and the full position hint. */
function wrap<T>(f: () => T, fail: (m: string) => PositionError): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof PositionError) throw fail(err.message);
    throw err;
  }
}
