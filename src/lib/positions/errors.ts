/**
 * The error every parser in this folder throws. It carries a one-line hint listing the accepted
 * forms, so the command layer (src/lib/cli `asUsageError`) can turn it into exit code 2 without
 * this module depending on the CLI.
 */
export class PositionError extends Error {
  readonly hint: string;

  constructor(message: string, hint: string) {
    super(message);
    this.name = 'PositionError';
    this.hint = hint;
  }
}

export const TIME_HINT =
  'times: epoch seconds (10 digits) or ms (13 digits), 2026-11-20, 2026-11-20T10:00[:00[.123]][Z|+01:00] (no zone = UTC), -<duration> (ago)';

export const DURATION_HINT = 'durations: 500ms, 90s, 15m, 1h30m, 2d, or ISO 8601 PT5M, P1DT2H';

/** The accepted forms in one line; `end` only where it is allowed (--until). */
export function positionHint(allowEnd: boolean): string {
  const end = allowEnd ? ' | end' : '';
  return (
    `accepted: earliest | latest${end} | <offset> | +N | -N | @<time> | @-<duration> | 0=<pos>,1=<pos>; ` +
    'time: epoch s (10 digits) or ms (13), 2026-11-20[T10:00[:00.000][Z|+01:00]] (UTC if no zone); ' +
    'duration: 500ms, 90s, 15m, 1h30m, 2d, PT5M'
  );
}
