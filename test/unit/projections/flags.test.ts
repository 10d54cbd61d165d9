import { describe, expect, it } from 'vitest';
import { EbError, ExitCode } from '../../../src/lib/cli/errors.js';
import { parsePace } from '../../../src/lib/projections/flags.js';

describe('parsePace', () => {
  it.each([
    ['real', 1],
    [' Real ', 1],
    ['1x', 1],
    ['60x', 60],
    ['1000x', 1000],
    ['0.5x', 0.5],
    ['2.25X', 2.25],
  ])('%j → %d', (text, want) => {
    expect(parsePace(text)).toBe(want);
  });

  it.each(['bogus', '', 'x', '0x', '0.0x', '-2x', '10', '1e3x', 'x10', '10 x', 'realx'])(
    '%j is a usage error with a hint',
    (text) => {
      let err: unknown;
      try {
        parsePace(text);
      } catch (e) {
        err = e;
      }
      expect(err, `parsePace(${JSON.stringify(text)}) threw nothing`).toBeInstanceOf(EbError);
      const e = err as EbError;
      expect(e.exitCode).toBe(ExitCode.usage);
      expect(e.message).toMatch(/^--pace: /);
      expect(e.hint).toMatch(/real/);
    },
  );
});
