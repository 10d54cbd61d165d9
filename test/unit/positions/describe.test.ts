import { describe, expect, it } from 'vitest';
import { describePosition, parsePosition } from '../../../src/lib/positions/index.js';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

describe('describePosition', () => {
  it.each<[string, string, ('bounds' | 'committed')?]>([
    ['earliest', 'earliest (log start)'],
    ['latest', 'latest (log end)'],
    ['end', 'end (log end at start-up)'],
    ['100', 'offset 100'],
    ['+5', '+5 (5 after log start)'],
    ['-5', '-5 (5 before log end)'],
    ['+5', '+5 (5 after committed)', 'committed'],
    ['-5', '-5 (5 before committed)', 'committed'],
    ['@2026-11-20T10:00Z', '2026-11-20 10:00:00Z (@time)'],
    ['@2026-11-20T11:00:00.250+01:00', '2026-11-20 10:00:00.250Z (@time)'],
    ['@-1h30m', '2026-11-20 10:30:00Z (1h30m ago)'],
    ['0=100,2=@2026-11-20', '0: offset 100, 2: 2026-11-20 00:00:00Z (@time)'],
  ])('%j → %j', (text, want, relativeTo) => {
    const got = describePosition(parsePosition(text, { now: NOW, allowEnd: true }), { relativeTo });
    expect(got, `got ${got}, want ${want}`).toBe(want);
  });
});
