/**
 * The one error type. Every failure a person can act on is an EbError with a message (what went
 * wrong), a hint (what to do or what is accepted) and a documented exit code.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  /** A scenario or drill assertion did not hold (CI replays). */
  assertion: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class EbError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCodeValue;

  constructor(message: string, opts: { hint?: string; exitCode?: ExitCodeValue; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'EbError';
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
  }
}

export function usageError(message: string, hint?: string): EbError {
  return new EbError(message, { hint, exitCode: ExitCode.usage });
}

/** Wraps a parse failure from a pure module (positions, events, records) as a usage error. */
export function asUsageError(err: unknown, what: string): EbError {
  if (err instanceof EbError) return err;
  const e = err as { message?: string; hint?: string };
  return usageError(`${what}: ${e.message ?? String(err)}`, e.hint);
}
