// The broker process stops on SIGTERM (final flush, exit 0) even when nobody reads its output any
// more: a terminal that closed, a pipe whose reader exited. Only for our broker: it signals the
// process it started.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, inject, it } from 'vitest';

const entry = join(process.cwd(), 'dist', 'lib', 'broker', 'bin.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts the broker with stdout and stderr piped to us; resolves once it listens. */
async function started() {
  const dataDir = mkdtempSync(join(tmpdir(), 'eb-shutdown-'));
  dirs.push(dataDir);
  const child = spawn(
    process.execPath,
    [entry, '--port', '0', '--data-dir', dataDir, '--log-level', 'debug'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('broker did not start in 15 s')), 15_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, exited };
}

/** Resolves with the exit code, or 'still running' after `ms`. */
const within = (exited: Promise<number | null>, ms: number) =>
  Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), ms).unref())]);

describe.runIf(inject('target') === 'embedded')('broker shutdown', () => {
  it('SIGTERM ends it with exit 0', async () => {
    const { child, exited } = await started();
    child.kill('SIGTERM');
    expect(await within(exited, 10_000)).toBe(0);
  });

  it('SIGTERM ends it with exit 0 when its stderr and stdout are no longer read (EPIPE)', async () => {
    const { child, exited } = await started();
    child.stderr.destroy();
    child.stdout.destroy();
    // Its "SIGTERM: closing" line (and every debug line before the exit) now fails to write.
    child.kill('SIGTERM');
    const code = await within(exited, 10_000);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code).toBe(0);
  });
});
