import { DURATION_HINT, PositionError, TIME_HINT } from './errors.js';

/*
 * Times and durations for positions (`@2026-11-20T10:00Z`, `@-15m`) and for any flag that takes
 * one (`--for 30s`, `--since`). Pure: "now" is always passed in.
 */

const MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof MS;
const UNIT_ORDER: readonly Unit[] = ['w', 'd', 'h', 'm', 's', 'ms'];

/**
 * Epoch values are told apart by their length: 10 digits are seconds, 13 digits are
 * milliseconds. Both cover 2001-09-09 to 2286-11-20, so every timestamp a Kafka log can hold in
 * practice has exactly one reading. Any other length is refused rather than guessed: a dropped
 * digit, or an ISO basic date such as 20261120, would otherwise silently mean 1970.
 */
const EPOCH = /^(\d+)(?:\.(\d+))?$/;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Epoch milliseconds from an epoch value, an ISO 8601 date or datetime (no zone means UTC), or
 * `-<duration>`: that long before `now`.
 */
export function parseTime(text: string, now: number = Date.now()): number {
  const t = text.trim();
  if (t === '') throw new PositionError('empty time', TIME_HINT);
  if (t.startsWith('-')) return now - parseDuration(t.slice(1));
  const epoch = EPOCH.exec(t);
  if (epoch) return parseEpoch(t, epoch[1] ?? '', epoch[2]);
  const iso = ISO.exec(t);
  if (iso) return parseIso(t, iso);
  if (/^\d{4}-\d{1,2}-\d{1,2}/.test(t)) {
    throw new PositionError(`"${t}" is not a valid ISO 8601 date/time`, TIME_HINT);
  }
  throw new PositionError(`"${t}" is not a time`, TIME_HINT);
}

function parseEpoch(t: string, whole: string, frac: string | undefined): number {
  if (whole.length === 10) {
    return Number(whole) * 1000 + fractionMs(frac);
  }
  if (whole.length === 13 && frac === undefined) return Number(whole);
  throw new PositionError(
    `"${t}" is ambiguous as an epoch time: use 10 digits for seconds or 13 digits for milliseconds`,
    TIME_HINT,
  );
}

/**
 * Milliseconds from the digits after a decimal point, in integer arithmetic (0.123 * 1000 is not
 * 123 in floating point). Sub-millisecond digits round up, so "the first record at or after"
 * this time never takes in a record from the millisecond before it.
 */
function fractionMs(frac: string | undefined): number {
  if (frac === undefined) return 0;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  return /[1-9]/.test(frac.slice(3)) ? ms + 1 : ms;
}

function parseIso(t: string, m: RegExpExecArray): number {
  const num = (i: number): number => Number(m[i] ?? '0');
  const [year, month, day, hour, minute, second] = [num(1), num(2), num(3), num(4), num(5), num(6)];
  const bad = (what: string): PositionError => new PositionError(`"${t}": ${what}`, TIME_HINT);
  if (month < 1 || month > 12) throw bad(`month ${m[2]} is not 01-12`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) throw bad(`day ${m[3]} is not in ${m[1]}-${m[2]} (1-${daysInMonth})`);
  if (hour > 23) throw bad(`hour ${m[4]} is not 00-23`);
  if (minute > 59) throw bad(`minute ${m[5]} is not 00-59`);
  // Leap second 60 is refused: epoch ms (Kafka timestamps) cannot name it.
  if (second > 59) throw bad(`second ${m[6]} is not 00-59`);
  let offsetMin = 0;
  if (m[9] !== undefined) {
    const oh = num(10);
    const om = num(11);
    if (oh > 23 || om > 59) throw bad(`zone offset ${m[9]}${m[10]}:${m[11] ?? '00'} is out of range`);
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const frac = fractionMs(m[7]);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, frac));
  d.setUTCFullYear(year);
  return d.getTime() - offsetMin * 60_000;
}

/** Milliseconds from `500ms`, `90s`, `15m`, `1h30m`, `2d`, `1w`, or ISO 8601 `PT5M`, `P1DT2H`, `P2W`. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (t === '') throw new PositionError('empty duration', DURATION_HINT);
  if (/^[Pp]/.test(t)) return parseIsoDuration(t);
  if (/^\d+(\.\d+)?$/.test(t)) {
    throw new PositionError(`duration "${t}" has no unit (ms, s, m, h, d)`, DURATION_HINT);
  }
  const re = /(\d+(?:\.\d+)?)([a-zA-Z]+)/gy;
  let total = 0;
  let last = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    const unit = m[2] as Unit;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank < 0) throw new PositionError(`unknown duration unit "${m[2]}" in "${t}"`, DURATION_HINT);
    if (rank <= last)
      throw new PositionError(
        `duration "${t}": units must go from largest to smallest, once each`,
        DURATION_HINT,
      );
    last = rank;
    total += Number(m[1]) * MS[unit];
    if (re.lastIndex === t.length) return Math.round(total);
  }
  throw new PositionError(`"${t}" is not a duration`, DURATION_HINT);
}

const ISO_DURATION =
  /^P(?:(\d+(?:\.\d+)?)W|(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?)$/;

function parseIsoDuration(t: string): number {
  const u = t.toUpperCase();
  if (/^P(\d+(\.\d+)?Y|(\d+(\.\d+)?Y)?\d+(\.\d+)?M)/.test(u)) {
    // Years and months have no fixed length in ms; Kafka's own tool (Duration.parse) refuses them too.
    throw new PositionError(
      `duration "${t}": years and months have no fixed length; use days (P30D)`,
      DURATION_HINT,
    );
  }
  const m = ISO_DURATION.exec(u);
  // "P", "PT" and "P1DT" match the pattern with nothing in them; ISO 8601 requires a component.
  if (!m || u === 'P' || u.endsWith('T')) {
    throw new PositionError(`"${t}" is not an ISO 8601 duration`, DURATION_HINT);
  }
  const n = (i: number): number => Number(m[i] ?? '0');
  return Math.round(n(1) * MS.w + n(2) * MS.d + n(3) * MS.h + n(4) * MS.m + n(5) * MS.s);
}

/** A compact duration such as `1h30m` or `500ms`; parseDuration reads it back. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(Math.abs(ms));
  let out = ms < 0 ? '-' : '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const n = Math.floor(rest / MS[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * MS[unit];
  }
  return out;
}

/** `2026-11-20 10:00:00Z`, with milliseconds only when there are some. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return iso.slice(20, 23) === '000' ? `${base}Z` : `${base}.${iso.slice(20, 23)}Z`;
}
