import { createServer, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafka, runCli, uniqueName, type CliResult } from '../../helpers/kafka.js';

/**
 * The CLI as a person or a script meets it: spawn bin/run.js, assert exit codes, stdout and
 * stderr. Runs against whichever broker the test run targets.
 */

const ESC = '\u001b[';

function show(args: string[], r: CliResult): string {
  return `eventbench ${args.join(' ')}\n  exit ${r.code}\n  stdout: ${r.stdout.slice(0, 1500)}\n  stderr: ${r.stderr.slice(0, 1500)}`;
}

async function run(
  args: string[],
  opts: Parameters<typeof runCli>[1] = {},
): Promise<CliResult & { shown: string }> {
  // vitest sets NODE_ENV=test, and oclif then adds development warnings to stderr; a user has none.
  const r = await runCli(args, { ...opts, env: { NODE_ENV: undefined, ...opts.env } });
  return { ...r, shown: show(args, r) };
}

/** stderr of a failed command: an "error:" line and at most a hint line, never a stack trace. */
function expectShortError(r: CliResult & { shown: string }): void {
  expect(r.stderr, `got a stack trace, want one line\n${r.shown}`).not.toContain('    at ');
  const lines = r.stderr.trimEnd().split('\n');
  expect(
    lines.length,
    `got ${lines.length} stderr lines, want an error and at most a hint\n${r.shown}`,
  ).toBeLessThanOrEqual(2);
  expect(lines[0]?.trim(), r.shown).toMatch(/error/i);
}

describe('version and help', () => {
  it('--version prints the package version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
    const r = await run(['--version']);
    expect(r.code, r.shown).toBe(0);
    expect(r.stdout).toContain(`eventbench/${pkg.version}`);
  });

  const commands: [string[], string[]][] = [
    [
      ['produce'],
      ['--file', '--input', '--key', '--key-separator', '--header', '--partition', '--acks', '--compression'],
    ],
    [
      ['tail'],
      [
        '--from',
        '--until',
        '--max',
        '--partition',
        '--group',
        '--output',
        '--format',
        '--key',
        '--header',
        '--grep',
        '--where',
      ],
    ],
    [
      ['topic', 'create'],
      ['--partitions', '--replication-factor', '--config', '--if-not-exists'],
    ],
    [['topic', 'list'], ['--all']],
    [['topic', 'describe'], []],
    [['topic', 'delete'], ['--force']],
    [['topic', 'config', 'get'], ['--overrides']],
    [['topic', 'config', 'set'], ['--delete']],
  ];
  const shared = ['--json', '--brokers', '--context', '--connect-timeout', '--log-level'];

  it.concurrent.each(commands)('%j --help exits 0 and lists its flags', async (cmd, flags) => {
    const r = await run([...cmd, '--help']);
    expect(r.code, r.shown).toBe(0);
    expect(r.stdout).toContain('USAGE');
    for (const f of [...flags, ...shared])
      expect(r.stdout, `got no ${f} in the help of ${cmd.join(' ')}`).toContain(f);
  });

  it('tail --help documents the position grammar, and that a time without a zone is UTC', async () => {
    const r = await run(['tail', '--help']);
    for (const form of ['earliest', 'latest', '+N', '-N', '@<time>', '@-<duration>', 'end']) {
      expect(r.stdout, `got no ${form} in tail --help`).toContain(form);
    }
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(/no zone is UTC|UTC if no zone|without a zone.*UTC/i);
  });

  it('the root help and the topic help list the commands', async () => {
    const root = await run(['--help']);
    expect(root.code, root.shown).toBe(0);
    for (const c of ['produce', 'tail', 'topic']) expect(root.stdout).toContain(c);
    const topic = await run(['topic', '--help']);
    expect(topic.code, topic.shown).toBe(0);
    for (const c of ['topic create', 'topic list', 'topic describe', 'topic delete'])
      expect(topic.stdout).toContain(c);
  });
});

describe('usage errors exit 2 with a one-line message', () => {
  it.concurrent.each<[string, string[]]>([
    ['an unknown flag', ['tail', 'orders', '--bogus']],
    ['an unknown flag on topic list', ['topic', 'list', '--nope']],
    ['a missing argument', ['topic', 'create']],
    ['a bad option value', ['tail', 'orders', '--output', 'xml']],
    ['a bad --connect-timeout', ['topic', 'list', '--connect-timeout', 'soon']],
  ])('%s', async (_name, args) => {
    const r = await run(args);
    expect(r.code, r.shown).toBe(2);
    expect(r.stdout, 'nothing on stdout').toBe('');
    expectShortError(r);
  });

  it.concurrent.each<[string, string[]]>([
    ['an unknown command', ['nosuch']],
    ['an unknown topic subcommand', ['topic', 'nosuch']],
  ])('%s', async (_name, args) => {
    const r = await run(args);
    expect(r.code, r.shown).toBe(2);
    expect(r.stderr, r.shown).toMatch(/nosuch/);
    expect(r.stderr).not.toContain('    at ');
    // The house error format: one "error:" line, one "hint:" line.
    expect(r.stderr.trimEnd().split('\n'), r.shown).toEqual([
      expect.stringMatching(/^error: unknown command "[a-z ]*nosuch"$/),
      expect.stringMatching(/^hint: /),
    ]);
  });

  it.concurrent.each<[string, string[]]>([
    ['--from yesterday', ['tail', 't', '--from', 'yesterday']],
    ['--until someday', ['tail', 't', '--until', 'someday']],
    ['--from with a bad date', ['tail', 't', '--from', '@2026-13-45']],
    ['--from end (end is only for --until)', ['tail', 't', '--from', 'end']],
  ])('a bad position (%s) lists the accepted forms', async (_name, args) => {
    const r = await run(args);
    expect(r.code, r.shown).toBe(2);
    expectShortError(r);
    for (const form of ['earliest', 'latest', '+N', '-N', '@<time>']) {
      expect(r.stderr, `got no ${form} in the hint\n${r.shown}`).toContain(form);
    }
  });
});

describe('an unreachable broker exits 3 within the connect timeout', () => {
  let silent: Server;
  let silentPort = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: only our own timeout can end the wait.
    silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it.concurrent.each<[string, string[]]>([
    ['topic list', ['topic', 'list']],
    ['tail', ['tail', 'orders', '--until', 'end']],
    ['produce', ['produce', 'orders', 'v']],
  ])('%s against a closed port names the broker and how to fix it', async (_name, args) => {
    const all = [...args, '--brokers', '127.0.0.1:1', '--connect-timeout', '2s'];
    const r = await run(all, { timeoutMs: 25_000 });
    expect(r.code, `got exit ${r.code}, want 3 (-1 = killed: no bound)\n${r.shown}`).toBe(3);
    expectShortError(r);
    expect(r.stderr).toContain('127.0.0.1:1');
    expect(r.stderr).toMatch(/hint:.*--brokers/);
  });

  it('a broker that accepts but never answers still ends with exit 3', async () => {
    const all = ['topic', 'list', '--brokers', `127.0.0.1:${silentPort}`, '--connect-timeout', '2s'];
    const r = await run(all, { timeoutMs: 25_000 });
    expect(r.code, `got exit ${r.code}, want 3 (-1 = killed: the timeout did not bound it)\n${r.shown}`).toBe(
      3,
    );
    expect(r.stderr).toContain(`127.0.0.1:${silentPort}`);
  });

  it('a broker from KAFKA_BROKERS is named with where it came from', async () => {
    const r = await run(['topic', 'list', '--connect-timeout', '2s'], {
      env: { KAFKA_BROKERS: '127.0.0.1:1' },
      timeoutMs: 25_000,
    });
    expect(r.code, r.shown).toBe(3);
    expect(r.stderr).toContain('127.0.0.1:1');
    expect(r.stderr).toContain('KAFKA_BROKERS');
  });
});

describe('--json errors', () => {
  async function jsonError(
    args: string[],
    code: number,
  ): Promise<{ message: string; hint: string | null; exitCode: number }> {
    const all = [...args, '--json'];
    const r = await run(all, { timeoutMs: 25_000 });
    expect(r.code, r.shown).toBe(code);
    let parsed: unknown;
    try {
      parsed = JSON.parse(r.stdout);
    } catch {
      throw new Error(`got stdout that is not JSON, want {"error":{...}}\n${r.shown}`);
    }
    expect(Object.keys(parsed as object), r.shown).toEqual(['error']);
    const e = (parsed as { error: { message: string; hint: string | null; exitCode: number } }).error;
    expect(Object.keys(e).sort()).toEqual(['exitCode', 'hint', 'message']);
    expect(e.exitCode).toBe(code);
    expect(typeof e.message).toBe('string');
    return e;
  }

  it('a usage error', async () => {
    const e = await jsonError(['tail', 't', '--from', 'yesterday'], 2);
    expect(e.message).toContain('yesterday');
    expect(e.hint).toContain('earliest');
  });

  it('an unknown flag', async () => {
    const e = await jsonError(['topic', 'list', '--bogus'], 2);
    expect(e.message).toContain('--bogus');
  });

  it('an unreachable broker', async () => {
    const e = await jsonError(['topic', 'list', '--brokers', '127.0.0.1:1', '--connect-timeout', '2s'], 3);
    expect(e.message).toContain('127.0.0.1:1');
    expect(e.hint).toBeTruthy();
  });

  it('a failure (missing topic)', async () => {
    const missing = uniqueName('eb-e2e-missing');
    const e = await jsonError(['topic', 'describe', missing], 1);
    expect(e.message).toContain(missing);
  });
});

describe('no colour without a terminal or with NO_COLOR', () => {
  const topic = uniqueName('eb-e2e-color');
  beforeAll(async () => {
    const admin = kafka('eb-e2e').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    const p = await runCli(['produce', topic, '{"a":1}', 'two', '--key', 'k', '--header', 'h=v']);
    expect(p.code, p.stderr).toBe(0);
  });

  const commands: string[][] = [
    ['topic', 'list'],
    ['topic', 'describe', topic],
    ['tail', topic, '--until', 'end', '--output', 'pretty'],
    ['tail', topic, '--until', 'end', '--output', 'table'],
    ['produce', topic, 'three'],
    ['tail', topic, '--from', 'yesterday'],
    ['topic', 'delete', topic],
  ];

  it.each<[string, Record<string, string | undefined>]>([
    ['NO_COLOR=1 (even with FORCE_COLOR=1)', { NO_COLOR: '1', FORCE_COLOR: '1' }],
    ['neither set, stdout and stderr are pipes', { NO_COLOR: undefined, FORCE_COLOR: undefined }],
  ])('%s: no ANSI escapes on stdout or stderr', async (_name, env) => {
    for (const args of commands) {
      const r = await run(args, { env });
      expect(r.stdout.includes(ESC), `got ANSI on stdout\n${r.shown}`).toBe(false);
      expect(r.stderr.includes(ESC), `got ANSI on stderr\n${r.shown}`).toBe(false);
    }
  });

  it('pretty output in a pipe still shows partition:offset, key, compact value and headers', async () => {
    const r = await run(['tail', topic, '--until', 'end', '--output', 'pretty']);
    expect(r.code, r.shown).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0], r.shown).toMatch(/ 0:0 k \{"a":1\} h=v$/);
    expect(lines[1], r.shown).toMatch(/ 0:1 k two h=v$/);
  });

  it('the check above can see colour: FORCE_COLOR without NO_COLOR colours the error', async () => {
    const r = await run(['tail', topic, '--from', 'yesterday'], {
      env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
    });
    expect(r.code, r.shown).toBe(2);
    expect(r.stderr.includes(ESC), `got no ANSI with FORCE_COLOR=1\n${r.shown}`).toBe(true);
  });
});

describe('kafkajs logs', () => {
  it('are quiet by default and shown with --log-level debug', async () => {
    const quiet = await run(['topic', 'list']);
    expect(quiet.code, quiet.shown).toBe(0);
    expect(quiet.stderr, 'stderr by default').toBe('');
    const loud = await run(['topic', 'list', '--log-level', 'debug']);
    expect(loud.code, loud.shown).toBe(0);
    expect(loud.stderr, 'stderr with --log-level debug').toMatch(/kafkajs/);
  });
});
