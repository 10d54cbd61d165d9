import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaSession } from '../../src/lib/kafka/client.js';
import { cliEnv, kafka, runCli, uniqueName } from '../helpers/kafka.js';
import {
  checkpointSum,
  expectNoTopics,
  openSession,
  publishStream,
  tempDir,
  topicsUnder,
  type Stream,
} from '../integration/projections/support.js';

let session: KafkaSession;
let admin: Admin;
let stream: Stream;
const tmp = tempDir();
const env = { XDG_DATA_HOME: join(tmp.dir, 'xdg'), EVENTBENCH_HOME: undefined };
let n = 0;
const dbPath = () => join(tmp.dir, `s${n++}.db`);

beforeAll(async () => {
  session = await openSession();
  admin = kafka('eb-e2e-step').admin();
  await admin.connect();
  stream = await publishStream(session, { seed: 'e2e-step', count: 400 });
});
afterAll(async () => {
  await admin.disconnect();
  await session.close();
  tmp.cleanup();
});

function json<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

describe('replay --pace (spawned CLI)', () => {
  it('--pace 1000x applies the whole stream', async () => {
    const r = await runCli(
      ['replay', 'sourcing', '--db', dbPath(), '--prefix', stream.prefix, '--pace', '1000x', '--json'],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = json<{ applied: number; stoppedBy: string; lag: number }>(r.stdout);
    expect(out.applied).toBe(stream.records.length);
    expect(out.stoppedBy).toBe('end');
    expect(out.lag).toBe(0);
  });

  it('--pace bogus exits 2 with the error and a one-line hint', async () => {
    const path = dbPath();
    const r = await runCli(
      ['replay', 'sourcing', '--db', path, '--prefix', stream.prefix, '--pace', 'bogus'],
      {
        env,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --pace: "bogus" is not a pace\nhint: [^\n]*real[^\n]*\n$/);
    const j = await runCli(
      ['replay', 'sourcing', '--db', path, '--prefix', stream.prefix, '--pace', 'bogus', '--json'],
      { env },
    );
    expect(j.code).toBe(2);
    const e = json<{ error: { message: string; hint: string; exitCode: number } }>(j.stdout).error;
    expect(e.exitCode).toBe(2);
    expect(e.hint).not.toContain('\n');
  });
});

describe('replay --step (spawned CLI)', () => {
  it.each([[[]], [['--json']]])(
    'without a terminal on stdin %j: exit 2 before touching anything',
    async (extra) => {
      const path = dbPath();
      const r = await runCli(
        ['replay', 'sourcing', '--db', path, '--prefix', stream.prefix, '--step', ...extra],
        { env, input: ' \n \n' },
      );
      expect(r.code, r.stderr).toBe(2);
      const text = extra.length ? json<{ error: { message: string } }>(r.stdout).error.message : r.stderr;
      expect(text).toMatch(/--step needs a terminal/);
      expect(existsSync(path), `${path} was created`).toBe(false);
    },
  );

  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.runIf(hasScript)(
    'in a pseudo-terminal: one event per key, q stops with the checkpoint after them',
    async () => {
      const path = dbPath();
      const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
      const cmd = [
        process.execPath,
        join(process.cwd(), 'bin', 'run.js'),
        'replay',
        'sourcing',
        '--db',
        path,
        '--prefix',
        stream.prefix,
        '--step',
      ]
        .map(q)
        .join(' ');
      // script(1) gives the command a pseudo-terminal and relays our pipe to it as key presses.
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        env: cliEnv(env),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      const waiters: { count: number; resolve: () => void }[] = [];
      const steps = () => (out.match(/@\d+ key /g) ?? []).length;
      const check = () => {
        for (const w of [...waiters])
          if (steps() >= w.count) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
      };
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        check();
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
      const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
      const kill = setTimeout(() => child.kill('SIGKILL'), 40_000);
      const stepShown = (count: number) =>
        new Promise<void>((resolve) => {
          waiters.push({ count, resolve });
          check();
        });
      try {
        await stepShown(1);
        expect(checkpointSum(path), 'after the first step is shown').toBe(1);
        child.stdin.write(' ');
        await stepShown(2);
        expect(checkpointSum(path), 'after one key press').toBe(2);
        child.stdin.write('q');
        const code = await exited;
        expect(code, out).toBe(0);
        expect(steps(), `steps shown in:\n${out}`).toBe(2);
        expect(checkpointSum(path), 'q stops: nothing after the second event').toBe(2);
        // The changed rows of the shown events are printed as tables.
        expect(out).toMatch(/orders|deliveries/);
      } finally {
        clearTimeout(kill);
        child.stdin.end();
        child.kill('SIGKILL');
      }
    },
    60_000,
  );
});

describe('drill outage and patterns compare leave no topics behind (spawned CLI)', () => {
  it('drill outage --json: its topics are gone afterwards', async () => {
    const prefix = uniqueName('e2edrill').replace('-', '');
    const r = await runCli(
      ['drill', 'outage', 'sourcing', '--for', '400ms', '--warm', '300ms', '--prefix', prefix, '--json'],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = json<{ equal: boolean; topicsDeleted: string[]; topicsLeft: string[] }>(r.stdout);
    expect(out.equal).toBe(true);
    expect(out.topicsDeleted.length).toBe(2);
    expect(out.topicsLeft).toEqual([]);
    await expectNoTopics(admin, prefix);
  });

  it('drill outage --keep-topics keeps them', async () => {
    const prefix = uniqueName('e2ekeep').replace('-', '');
    const r = await runCli(
      [
        'drill',
        'outage',
        'sourcing',
        '--for',
        '300ms',
        '--warm',
        '200ms',
        '--prefix',
        prefix,
        '--keep-topics',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/topics left on the broker/);
    const left = await topicsUnder(admin, prefix);
    expect(left).toEqual([`${prefix}.checkout.sourcing`, `${prefix}.delivery.sourcing`]);
    await admin.deleteTopics({ topics: left });
  });

  it('drill outage interrupted by SIGINT: exit 1, its topics are gone', async () => {
    const prefix = uniqueName('e2eint').replace('-', '');
    const child = spawn(
      process.execPath,
      [
        join(process.cwd(), 'bin', 'run.js'),
        'drill',
        'outage',
        'sourcing',
        '--for',
        '60s',
        '--prefix',
        prefix,
      ],
      {
        env: cliEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    const kill = setTimeout(() => child.kill('SIGKILL'), 50_000);
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString('utf8');
        if (/outage: /.test(err)) resolve();
      });
      child.on('close', () => resolve());
    });
    child.kill('SIGINT');
    const code = await exited;
    clearTimeout(kill);
    expect(code, err).toBe(1);
    expect(err).toMatch(/drill outage interrupted/);
    await expectNoTopics(admin, prefix);
  }, 60_000);

  it('patterns compare --json: its topics are gone afterwards', async () => {
    const prefix = uniqueName('e2ecmp').replace('-', '');
    const r = await runCli(['patterns', 'compare', '--count', '150', '--prefix', prefix, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = json<{ rows: unknown[]; topicsDeleted: string[]; topicsLeft: string[] }>(r.stdout);
    expect(out.rows.length).toBe(4);
    expect(out.topicsDeleted.length).toBe(9);
    expect(out.topicsLeft).toEqual([]);
    await expectNoTopics(admin, prefix);
  });

  it.each([
    ['drill', 'outage'],
    ['patterns', 'compare'],
  ])('%s %s --help documents --keep-topics', async (a, b) => {
    const r = await runCli([a, b, '--help'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--keep-topics/);
  });
});
