import { describe, expect, it } from 'vitest';
import { PositionError, parsePosition, type Position } from '../../../src/lib/positions/index.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0); // 2026-11-20T12:00:00Z
const T10 = Date.UTC(2026, 10, 20, 10, 0, 0);

function thrown(f: () => unknown): PositionError {
  try {
    f();
  } catch (err) {
    if (err instanceof PositionError) return err;
    throw new Error(`got ${String(err)}, want a PositionError`);
  }
  throw new Error('got no error, want a PositionError');
}

describe('parsePosition accepts', () => {
  it.each<[string, Position]>([
    ['earliest', { kind: 'earliest' }],
    ['latest', { kind: 'latest' }],
    ['LATEST', { kind: 'latest' }],
    [' earliest ', { kind: 'earliest' }],
    ['0', { kind: 'offset', offset: 0 }],
    ['100', { kind: 'offset', offset: 100 }],
    ['007', { kind: 'offset', offset: 7 }],
    ['9007199254740991', { kind: 'offset', offset: Number.MAX_SAFE_INTEGER }],
    ['+0', { kind: 'shift', sign: '+', n: 0 }],
    ['+10', { kind: 'shift', sign: '+', n: 10 }],
    ['-10', { kind: 'shift', sign: '-', n: 10 }],
    ['-0', { kind: 'shift', sign: '-', n: 0 }],
    ['@2026-11-20T10:00Z', { kind: 'time', ms: T10 }],
    ['@2026-11-20T10:00', { kind: 'time', ms: T10 }],
    ['@2026-11-20T11:00+01:00', { kind: 'time', ms: T10 }],
    ['@2026-11-20T04:30-05:30', { kind: 'time', ms: T10 }],
    ['@1795168800', { kind: 'time', ms: T10 }],
    ['@1795168800000', { kind: 'time', ms: T10 }],
    ['@-2h', { kind: 'time', ms: T10, agoMs: 7_200_000 }],
    ['@-1h30m', { kind: 'time', ms: NOW - 5_400_000, agoMs: 5_400_000 }],
    ['@-PT2H', { kind: 'time', ms: T10, agoMs: 7_200_000 }],
    [
      '0=100,1=@2026-11-20T10:00Z,2=earliest',
      {
        kind: 'map',
        entries: [
          { partition: 0, position: { kind: 'offset', offset: 100 } },
          { partition: 1, position: { kind: 'time', ms: T10 } },
          { partition: 2, position: { kind: 'earliest' } },
        ],
      },
    ],
    [
      ' 3 = -5 , 1=+2,0=latest,2=@-2h ',
      {
        kind: 'map',
        entries: [
          { partition: 3, position: { kind: 'shift', sign: '-', n: 5 } },
          { partition: 1, position: { kind: 'shift', sign: '+', n: 2 } },
          { partition: 0, position: { kind: 'latest' } },
          { partition: 2, position: { kind: 'time', ms: T10, agoMs: 7_200_000 } },
        ],
      },
    ],
    ['0=7', { kind: 'map', entries: [{ partition: 0, position: { kind: 'offset', offset: 7 } }] }],
  ])('%j', (text, want) => {
    expect(parsePosition(text, { now: NOW })).toEqual(want);
  });

  it.each<[string, Position]>([
    ['end', { kind: 'end' }],
    ['latest', { kind: 'latest' }],
    [
      '0=end,1=100',
      {
        kind: 'map',
        entries: [
          { partition: 0, position: { kind: 'end' } },
          { partition: 1, position: { kind: 'offset', offset: 100 } },
        ],
      },
    ],
  ])('%j with allowEnd (--until)', (text, want) => {
    expect(parsePosition(text, { now: NOW, allowEnd: true })).toEqual(want);
  });

  it('takes now from the clock when not given', () => {
    const before = Date.now();
    const p = parsePosition('@-1s');
    const after = Date.now();
    if (p.kind !== 'time') throw new Error(`got kind ${p.kind}, want time`);
    expect(p.ms).toBeGreaterThanOrEqual(before - 1000);
    expect(p.ms).toBeLessThanOrEqual(after - 1000);
  });
});

describe('parsePosition rejects', () => {
  it.each<[string, string, boolean?]>([
    ['', 'empty position'],
    ['   ', 'empty position'],
    ['garbage', 'unknown position "garbage"'],
    ['beginning', 'did you mean "earliest"'],
    ['end', '"end" is only for --until'],
    ['0=end', 'partition 0: "end" is only for --until'],
    ['--5', '"--5": after "-" expected a count'],
    ['+-5', 'not another sign'],
    ['-', 'after "-" expected a count'],
    ['+', 'after "+" expected a count'],
    ['-15m', 'write "@-15m"'],
    ['+1.5', 'after "+" expected a count'],
    ['1.5', '"1.5" is not an offset'],
    ['100abc', '"100abc" is not an offset'],
    ['9007199254740992', 'too large'],
    ['@', '"@" needs a time'],
    ['@-', 'empty duration'],
    ['@15m', 'write "@-15m"'],
    ['@PT5M', 'write "@-PT5M"'],
    ['@+15m', 'cannot be in the future'],
    ['@2026-13-01', 'month 13'],
    ['@2026-02-30T10:00Z', 'day 30'],
    ['@tomorrow', '"tomorrow" is not a time'],
    ['@-15x', 'unknown duration unit "x"'],
    ['@20261120', 'ambiguous'],
    ['earliest,latest', 'partition=position'],
    ['0=100,0=200', 'partition 0 appears twice'],
    ['0=1,00=2', 'partition 0 appears twice'],
    ['a=100', 'partition "a" is not a non-negative integer'],
    ['-1=100', 'partition "-1" is not a non-negative integer'],
    ['1.5=100', 'partition "1.5"'],
    ['0=1=2', 'cannot be nested'],
    ['0=100,', 'empty entry'],
    ['0=100,,1=2', 'empty entry'],
    ['0=', 'has no position after "="'],
    ['0=100,1', 'map entry "1" has no "="'],
    ['0=100,1=garbage', 'partition 1: unknown position "garbage"'],
    ['1=@2026-13-01', 'partition 1: "2026-13-01": month 13'],
    ['0=--5', 'partition 0: "--5"'],
  ])('%j', (text, want) => {
    const err = thrown(() => parsePosition(text, { now: NOW }));
    expect(err.message, `got message ${err.message}, want it to mention ${want}`).toContain(want);
    expect(err.hint, `got hint ${err.hint}`).toContain('earliest | latest | <offset>');
    expect(err.hint).not.toContain('\n');
  });

  it('lists "end" in the hint only where it is allowed', () => {
    const err = thrown(() => parsePosition('nope', { allowEnd: true }));
    expect(err.hint, `got hint ${err.hint}`).toContain('| end |');
  });
});
