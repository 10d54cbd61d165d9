import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli } from '../helpers/kafka.js';

/**
 * The embedded broker's life cycle through the real CLI, with no broker configured: the first
 * command starts it in the background, `broker status/stop/start/reset` manage it, and the data
 * survives a restart. Its own home and port, so it never meets the broker the suite runs against
 * (or one a developer keeps on 9192).
 */

const home = mkdtempSync(join(tmpdir(), 'eb-embedded-life-'));
const port = await freePort();
/** No target but the embedded default: KAFKA_BROKERS (set by runCli) and friends unset. */
const env = {
  KAFKA_BROKERS: undefined,
  EVENTBENCH_BROKERS: undefined,
  EVENTBENCH_CONTEXT: undefined,
  EVENTBENCH_HOME: home,
  EVENTBENCH_EMBEDDED_PORT: String(port),
};
const cli = (args: string[]) => runCli(args, { env, timeoutMs: 60_000 });

afterAll(async () => {
  // Whatever a failed test left running.
  const state = join(home, 'broker.json');
  if (existsSync(state)) {
    const { pid } = JSON.parse(readFileSync(state, 'utf8')) as { pid: number };
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(home, { recursive: true, force: true });
});

interface Status {
  running: boolean;
  pid: number | null;
  port: number | null;
  dataDir: string;
  topics: number | null;
}
const json = <T>(stdout: string) => JSON.parse(stdout) as T;
const sorted = (stdout: string) => stdout.trim().split('\n').sort();

describe('the embedded broker, started on first use', () => {
  it('starts with the first command, keeps data across stop and restart, and is wiped by reset', async () => {
    const create = await cli(['topic', 'create', 'life', '-p', '2']);
    expect(create.code, create.stderr).toBe(0);
    expect(create.stderr).toContain(`started the embedded broker on 127.0.0.1:${port}`);

    const status = json<Status>((await cli(['broker', 'status', '--json'])).stdout);
    expect(status).toMatchObject({ running: true, port, dataDir: join(home, 'broker-data'), topics: 1 });

    const produce = await cli(['produce', 'life', 'a', 'b', 'c']);
    expect(produce.code, produce.stderr).toBe(0);
    expect(produce.stderr, 'already running: not started again').not.toContain('started the embedded');
    const again = json<{ alreadyRunning: boolean; pid: number }>(
      (await cli(['broker', 'start', '--detach', '--json'])).stdout,
    );
    expect(again).toMatchObject({ alreadyRunning: true, pid: status.pid });

    const stop = await cli(['broker', 'stop', '--json']);
    expect(json<{ stopped: boolean; pid: number }>(stop.stdout)).toMatchObject({
      stopped: true,
      pid: status.pid,
    });
    expect(json<Status>((await cli(['broker', 'status', '--json'])).stdout).running).toBe(false);

    // The next command starts it again, on the same data.
    const tail = await cli(['tail', 'life', '--until', 'end', '--output', 'raw']);
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stderr).toContain('started the embedded broker');
    expect(sorted(tail.stdout)).toEqual(['a', 'b', 'c']);

    const reset = await cli(['broker', 'reset', '--force', '--json']);
    expect(json<{ wiped: boolean; wasRunning: boolean }>(reset.stdout)).toEqual({
      wiped: true,
      wasRunning: true,
      dataDir: join(home, 'broker-data'),
    });
    expect(existsSync(join(home, 'broker-data'))).toBe(false);
    const after = await cli(['topic', 'list', '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.stringify(json(after.stdout))).not.toContain('"life"');
  });

  it('broker start without --port listens where the other commands look (EVENTBENCH_EMBEDDED_PORT)', async () => {
    await cli(['broker', 'stop']);
    const start = await cli(['broker', 'start', '--detach', '--json']);
    expect(start.code, start.stderr).toBe(0);
    expect(json<{ port: number; alreadyRunning: boolean }>(start.stdout)).toMatchObject({
      port,
      alreadyRunning: false,
    });
    const list = await cli(['topic', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr, 'found it, did not start another').not.toContain('started the embedded');
    expect(json<{ stopped: boolean }>((await cli(['broker', 'stop', '--json'])).stdout).stopped).toBe(true);
  });
});
