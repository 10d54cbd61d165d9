import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Cold start (issue 2): `--version` is answered by bin/run.js without loading oclif, and
 * `<command> --help` is rendered from the manifest without importing the command's module. Both
 * must print exactly what oclif's own path prints.
 */

const root = process.cwd();
const runJs = join(root, 'bin', 'run.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function node(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // vitest sets NODE_ENV=test, and oclif then adds development warnings; a user has none.
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, NODE_ENV: undefined, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

/** What oclif itself answers for these arguments, for the same package root as bin/run.js. */
function oclif(args: string[]): Promise<Run> {
  const script = `import { execute } from '@oclif/core';
await execute({ args: ${JSON.stringify(args)}, dir: ${JSON.stringify(pathToFileURL(runJs).href)} });`;
  return node(['--input-type=module', '-e', script]);
}

/** A loader hook that reports on stderr every module of ours under dist/commands that is loaded. */
const traceCommands = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  'export async function load(url, ctx, next) {' +
  '  if (url.includes("/dist/commands/")) process.stderr.write("LOADED " + url + "\\\\n");' +
  '  return next(url, ctx);' +
  '}'));
`)}`;

describe('--version without oclif', () => {
  it('prints byte for byte what oclif prints', async () => {
    const [fast, slow] = await Promise.all([node([runJs, '--version']), oclif(['--version'])]);
    expect(slow.code, `oclif --version: ${slow.stderr}`).toBe(0);
    expect(fast.code, `eventbench --version: ${fast.stderr}`).toBe(0);
    expect(fast.stdout, `got ${JSON.stringify(fast.stdout)}, want ${JSON.stringify(slow.stdout)}`).toBe(
      slow.stdout,
    );
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(fast.stdout).toBe(
      `eventbench/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`,
    );
    expect(fast.stderr).toBe('');
  });

  it('loads no oclif module', async () => {
    const r = await node([runJs, '--version'], { NODE_DEBUG: 'module' });
    expect(r.code, r.stderr).toBe(0);
    const loaded = r.stderr.split('\n').filter((l) => l.includes('@oclif'));
    expect(loaded, `got oclif modules loaded for --version, want none:\n${loaded.join('\n')}`).toEqual([]);
  });

  it('a reader that has gone away (`eventbench --version | true`) is no crash, as with oclif', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [runJs, '--version'], {
        env: { ...process.env, NODE_ENV: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    });
    expect(r.code, `got exit ${r.code}, want 0; stderr: ${r.stderr}`).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('only --version as the first argument takes the fast path; -v stays an unknown command', async () => {
    const [fast, slow] = await Promise.all([node([runJs, '-v']), oclif(['-v'])]);
    expect(fast.code, `got exit ${fast.code}, want oclif's ${slow.code}`).toBe(slow.code);
    expect(fast.stdout).toBe(slow.stdout);
    expect(fast.stderr).toBe(slow.stderr);
  });
});

describe('help from the manifest', () => {
  it.each([[['topic', 'list']], [['produce']], [['tail']], [['topic', 'config', 'set']]])(
    '%j --help imports no command module and matches the oclif path',
    async (cmd) => {
      const [traced, slow] = await Promise.all([
        node(['--import', traceCommands, runJs, ...cmd, '--help']),
        oclif([...cmd, '--help']),
      ]);
      expect(traced.code, traced.stderr).toBe(0);
      const loaded = traced.stderr.split('\n').filter((l) => l.startsWith('LOADED '));
      expect(loaded, `got command modules imported for help, want none:\n${loaded.join('\n')}`).toEqual([]);
      expect(traced.stdout).toBe(slow.stdout);
    },
  );

  it('no flag gives a command dynamic help, and --connect-timeout shows 10s', () => {
    type Flag = { hasDynamicHelp?: boolean; default?: unknown };
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { flags: Record<string, Flag> }>;
    };
    const shared = ['connect-timeout', 'brokers', 'context', 'log-level', 'json'];
    let seen = 0;
    for (const [id, cmd] of Object.entries(manifest.commands)) {
      for (const [name, flag] of Object.entries(cmd.flags)) {
        expect(flag.hasDynamicHelp ?? false, `got dynamic help for ${id} --${name}, want none`).toBe(false);
      }
      expect(shared.filter((name) => cmd.flags[name]).length, `${id} has the shared flags`).toBeGreaterThan(
        0,
      );
      const timeout = cmd.flags['connect-timeout'];
      if (timeout) {
        seen++;
        expect(
          timeout.default,
          `got ${id} --connect-timeout default ${String(timeout.default)}, want 10s`,
        ).toBe('10s');
      }
    }
    expect(seen, 'want commands with --connect-timeout in the manifest').toBeGreaterThan(0);
  });
});
