import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { EbError } from '../../../src/lib/cli/errors.js';

/** Runs f and returns the EbError it throws; anything else fails the test. */
export function thrown(f: () => unknown): EbError {
  try {
    f();
  } catch (err) {
    if (err instanceof EbError) return err;
    throw new Error(`got ${String(err)}, want an EbError`);
  }
  throw new Error('got no error, want an EbError');
}

/** A fresh temp dir per call, removed after the test. */
export function useTempDirs(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'eb-config-test-'));
    dirs.push(d);
    return d;
  };
}
