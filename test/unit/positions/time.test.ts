import { describe, expect, it } from 'vitest';
import {
  PositionError,
  formatDuration,
  formatTime,
  parseDuration,
  parseTime,
} from '../../../src/lib/positions/index.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0); // 2026-11-20T12:00:00Z
const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  Date.UTC(y, mo - 1, d, h, mi, s, ms);

function thrown(f: () => unknown): PositionError {
  try {
    f();
  } catch (err) {
    if (err instanceof PositionError) return err;
    throw new Error(`got ${String(err)}, want a PositionError`);
  }
  throw new Error('got no error, want a PositionError');
}

describe('parseTime', () => {
  it.each<[string, number]>([
    // Epoch: 10 digits are seconds, 13 digits are milliseconds.
    ['1763640000', 1763640000_000],
    ['1763640000123', 1763640000123],
    ['1763640000.5', 1763640000_500],
    ['1763640000.1234', 1763640000_124], // sub-ms rounds up: never before the asked time
    // ISO dates and datetimes; no zone means UTC.
    ['2026-11-20', utc(2026, 11, 20)],
    ['2026-11-20T10:00', utc(2026, 11, 20, 10)],
    ['2026-11-20T10:00:30', utc(2026, 11, 20, 10, 0, 30)],
    ['2026-11-20 10:00', utc(2026, 11, 20, 10)],
    ['2026-11-20t10:00z', utc(2026, 11, 20, 10)],
    ['2026-11-20T10:00Z', utc(2026, 11, 20, 10)],
    ['2026-11-20T10:00:00Z', utc(2026, 11, 20, 10)],
    ['2026-11-20T10:00:00.123Z', utc(2026, 11, 20, 10, 0, 0, 123)],
    ['2026-11-20T10:00:00.1Z', utc(2026, 11, 20, 10, 0, 0, 100)],
    ['2026-11-20T10:00:00.123000001Z', utc(2026, 11, 20, 10, 0, 0, 124)],
    ['2026-11-20T10:00:00.123000000', utc(2026, 11, 20, 10, 0, 0, 123)],
    ['2026-11-20T10:00+01:00', utc(2026, 11, 20, 9)],
    ['2026-11-20T10:00:00+0100', utc(2026, 11, 20, 9)],
    ['2026-11-20T10:00+01', utc(2026, 11, 20, 9)],
    ['2026-11-20T10:00-05:30', utc(2026, 11, 20, 15, 30)],
    ['2026-11-20T00:30+01:00', utc(2026, 11, 19, 23, 30)], // crosses midnight backwards
    ['2028-02-29T12:00Z', utc(2028, 2, 29, 12)], // leap day
    ['  2026-11-20  ', utc(2026, 11, 20)],
    ['-15m', NOW - 15 * 60_000],
    ['-1h30m', NOW - 90 * 60_000],
    ['-PT5M', NOW - 5 * 60_000],
  ])('%s', (text, want) => {
    const got = parseTime(text, NOW);
    expect(got, `got ${new Date(got).toISOString()}, want ${new Date(want).toISOString()}`).toBe(want);
  });

  it.each<[string, string]>([
    ['', 'empty'],
    ['yesterday', '"yesterday" is not a time'],
    ['176364000', 'use 10 digits for seconds or 13 digits'], // 9 digits
    ['17636400001', 'ambiguous'], // 11 digits
    ['20261120', 'ambiguous'], // ISO basic date is not guessed
    ['1763640000123.5', 'ambiguous'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 00'],
    ['2026-02-30', 'day 30'],
    ['2027-02-29', 'day 29'],
    ['2026-11-20T24:00', 'hour 24'],
    ['2026-11-20T10:60', 'minute 60'],
    ['2026-11-20T10:00:60Z', 'second 60'],
    ['2026-11-20T10:00+25:00', 'zone offset'],
    ['2026-11-20T10', 'not a valid ISO 8601'],
    ['2026-11-20Z', 'not a valid ISO 8601'],
    ['2026-11-20T10:00 UTC', 'not a valid ISO 8601'],
    ['-15x', 'unknown duration unit "x"'],
  ])('rejects %j', (text, want) => {
    const err = thrown(() => parseTime(text, NOW));
    expect(err.message, `got message ${err.message}, want it to mention ${want}`).toContain(want);
    expect(err.hint, 'hint lists time (or, after "-", duration) forms').toMatch(/13 digits|1h30m/);
  });
});

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['500ms', 500],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1.5h', 5_400_000],
    ['0s', 0],
    ['PT5M', 300_000],
    ['P1DT2H', 93_600_000],
    ['PT1.5S', 1_500],
    ['P2W', 1_209_600_000],
    ['pt90s', 90_000],
    ['P1D', 86_400_000],
  ])('%s', (text, want) => {
    expect(parseDuration(text), `got ${parseDuration(text)}, want ${want}`).toBe(want);
  });

  it.each<[string, string]>([
    ['', 'empty'],
    ['15', 'no unit'],
    ['15x', 'unknown duration unit "x"'],
    ['15min', 'unknown duration unit "min"'],
    ['30m1h', 'largest to smallest'],
    ['1h1h', 'largest to smallest'],
    ['1h 30m', 'not a duration'],
    ['h', 'not a duration'],
    ['P', 'not an ISO 8601 duration'],
    ['PT', 'not an ISO 8601 duration'],
    ['P1DT', 'not an ISO 8601 duration'],
    ['P1M', 'years and months'],
    ['P1Y', 'years and months'],
    ['PT5X', 'not an ISO 8601 duration'],
  ])('rejects %j', (text, want) => {
    const err = thrown(() => parseDuration(text));
    expect(err.message, `got message ${err.message}, want it to mention ${want}`).toContain(want);
    expect(err.hint).toContain('1h30m');
  });

  it.each([0, 500, 90_000, 5_400_000, 93_784_005, 172_800_000])('formatDuration(%d) round-trips', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it.each<[number, string]>([
    [utc(2026, 11, 20, 10), '2026-11-20 10:00:00Z'],
    [utc(2026, 11, 20, 10, 0, 0, 250), '2026-11-20 10:00:00.250Z'],
  ])('formatTime(%d) = %s', (ms, want) => {
    expect(formatTime(ms)).toBe(want);
  });
});
