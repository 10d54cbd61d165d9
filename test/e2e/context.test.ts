import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokers, runCli, type CliResult } from '../helpers/kafka.js';

/** A password value that must never show up in anything the CLI prints. */
const SECRET = 'Sekr3t-e2e-0d4c7a9f';
const PW_VAR = 'EB_E2E_CONTEXT_PW';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * A CLI bound to its own config file, with the broker variables runCli sets removed, so the
 * context (not KAFKA_BROKERS) decides the target. Every output is kept for the password check.
 */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'eb-e2e-context-'));
  dirs.push(dir);
  const config = join(dir, 'sub', 'config.json');
  const outputs: CliResult[] = [];
  const run = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const r = await runCli(args, {
      env: {
        EVENTBENCH_CONFIG: config,
        KAFKA_BROKERS: undefined,
        EVENTBENCH_BROKERS: undefined,
        EVENTBENCH_CONTEXT: undefined,
        [PW_VAR]: SECRET,
        ...env,
      },
    });
    outputs.push(r);
    return r;
  };
  const json = async <T>(args: string[], env?: Record<string, string | undefined>): Promise<T> => {
    const r = await run([...args, '--json'], env);
    expect(r.code, `${args.join(' ')}: got exit ${r.code}, want 0; stderr: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  return { dir, config, outputs, run, json };
}

function expectNoSecret(outputs: CliResult[]): void {
  expect(outputs.length).toBeGreaterThan(0);
  for (const r of outputs) {
    expect(r.stdout, `got the password in stdout:\n${r.stdout}`).not.toContain(SECRET);
    expect(r.stderr, `got the password in stderr:\n${r.stderr}`).not.toContain(SECRET);
  }
}

describe('eventbench context', () => {
  it('add, list, use, show, remove round trip with --json shapes; the password is never printed', async () => {
    const s = sandbox();

    const empty = await s.json<Record<string, unknown>>(['context', 'list']);
    expect(empty).toEqual({
      configPath: s.config,
      currentContext: null,
      contexts: [],
      target: {
        source: 'embedded',
        describe: expect.stringContaining('embedded broker'),
        context: null,
        error: null,
      },
    });

    const added = await s.json<Record<string, unknown>>([
      'context',
      'add',
      'local',
      '--brokers',
      brokers(),
      '--use',
    ]);
    expect(added).toEqual({
      replaced: false,
      context: {
        name: 'local',
        current: true,
        configPath: s.config,
        brokers: brokers().split(','),
        clientId: null,
        tls: null,
        sasl: null,
        warnings: [],
      },
    });
    expect(existsSync(s.config), `got no file at ${s.config}, want the config written`).toBe(true);

    const secure = await s.json<{ context: Record<string, unknown> }>([
      'context',
      'add',
      'secure',
      '--brokers',
      'kafka.invalid:9093',
      '--client-id',
      'e2e-client',
      '--tls',
      '--sasl-mechanism',
      'scram-sha-256',
      '--sasl-username',
      'bob',
      '--password-env',
      PW_VAR,
    ]);
    expect(secure.context).toMatchObject({
      name: 'secure',
      current: false,
      clientId: 'e2e-client',
      tls: { ca: null, cert: null, key: null, rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-256', username: 'bob', passwordEnv: PW_VAR, passwordSet: true },
    });

    const listed = await s.json<{ currentContext: string; contexts: unknown[]; target: unknown }>([
      'context',
      'list',
    ]);
    expect(listed.currentContext).toBe('local');
    expect(listed.contexts).toEqual([
      { name: 'local', current: true, brokers: brokers().split(','), clientId: null, tls: false, sasl: null },
      {
        name: 'secure',
        current: false,
        brokers: ['kafka.invalid:9093'],
        clientId: 'e2e-client',
        tls: true,
        sasl: { mechanism: 'scram-sha-256', username: 'bob' },
      },
    ]);
    expect(listed.target).toEqual({
      source: 'current-context',
      describe: `${brokers()} (context "local", from current context)`,
      context: 'local',
      error: null,
    });

    const human = await s.run(['context', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^\*\s+local\s/m);
    expect(human.stdout).toContain(`config file: ${s.config}`);
    expect(human.stdout).toContain(`target now:  ${brokers()} (context "local", from current context)`);

    // The current context really is where commands connect.
    const topics = await s.run(['topic', 'list', '--json', '--connect-timeout', '10s']);
    expect(topics.code, `topic list via context: got exit ${topics.code}; stderr: ${topics.stderr}`).toBe(0);
    expect(JSON.parse(topics.stdout)).toHaveProperty('topics');

    expect(await s.json(['context', 'use', 'secure'])).toEqual({
      currentContext: 'secure',
      previous: 'local',
      configPath: s.config,
    });

    const shown = await s.json<Record<string, unknown>>(['context', 'show']);
    expect(shown).toMatchObject({ name: 'secure', current: true, warnings: [] });

    const shownHuman = await s.run(['context', 'show', 'secure']);
    expect(shownHuman.stdout).toContain(`password from $${PW_VAR} (set)`);
    const unset = await s.run(['context', 'show', 'secure'], { [PW_VAR]: undefined });
    expect(unset.stdout).toContain(`password from $${PW_VAR} (NOT set)`);
    expect(unset.stderr).toContain(`$${PW_VAR} is not set`);

    // A SASL handshake with the test broker (which has no SASL listener, so it fails), logged at
    // debug level: kafkajs's request logs must not carry the password either.
    await s.json([
      'context',
      'add',
      'plainsasl',
      '-b',
      brokers(),
      '--sasl-mechanism',
      'plain',
      '--sasl-username',
      'bob',
      '--password-env',
      PW_VAR,
    ]);
    const debug = await s.run([
      'topic',
      'list',
      '--context',
      'plainsasl',
      '--log-level',
      'debug',
      '--connect-timeout',
      '5s',
    ]);
    // Apache Kafka answers with a SASL handshake; our broker has no SASL, so kafkajs stops after
    // ApiVersions. Either way the debug log shows the SASL attempt, and never the password.
    expect(debug.stderr, 'want kafkajs debug logs of the SASL attempt').toMatch(/SaslHandshake|"sasl":true/);
    await s.json(['context', 'remove', 'plainsasl', '--force']);

    expect(await s.json(['context', 'remove', 'secure', '--force'])).toEqual({
      removed: 'secure',
      wasCurrent: true,
      currentContext: null,
      configPath: s.config,
    });
    const after = await s.json<{ currentContext: null; contexts: { name: string }[] }>(['context', 'list']);
    expect(after.currentContext).toBeNull();
    expect(after.contexts.map((c) => c.name)).toEqual(['local']);

    expectNoSecret(s.outputs);
  });

  it('a bad SASL mechanism exits 2 with a hint listing the accepted ones', async () => {
    const s = sandbox();
    const args = ['context', 'add', 'x', '-b', 'k:1', '--sasl-mechanism', 'gssapi', '--sasl-username', 'u'];
    const r = await s.run([...args, '--password-env', PW_VAR]);
    expect(r.code, `got exit ${r.code}, want 2; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toContain('SASL mechanism "gssapi" is not supported');
    expect(r.stderr).toContain('hint: use one of: plain, scram-sha-256, scram-sha-512');
    const j = await s.run([...args, '--password-env', PW_VAR, '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toEqual({
      error: {
        message: 'SASL mechanism "gssapi" is not supported',
        hint: 'use one of: plain, scram-sha-256, scram-sha-512',
        exitCode: 2,
      },
    });
    expect(existsSync(s.config), 'a rejected add must not write the config file').toBe(false);
  });

  it('there is no --password flag, and a password passed as a variable name is not echoed', async () => {
    const s = sandbox();
    const flag = await s.run(['context', 'add', 'x', '-b', 'k:1', '--password', SECRET]);
    expect(flag.code, `--password: got exit ${flag.code}, want 2`).toBe(2);
    expect(flag.stderr).toContain('--password');
    const asName = await s.run([
      'context',
      'add',
      'x',
      '-b',
      'k:1',
      '--sasl-mechanism',
      'plain',
      '--sasl-username',
      'u',
      '--password-env',
      SECRET,
    ]);
    expect(asName.code).toBe(2);
    expect(asName.stderr).toContain('NAME of an environment variable');
    expectNoSecret(s.outputs);
  });

  it('remove without --force and without a terminal exits 2 and keeps the context', async () => {
    const s = sandbox();
    await s.json(['context', 'add', 'keep', '-b', 'k:1']);
    const r = await s.run(['context', 'remove', 'keep']);
    expect(r.code, `got exit ${r.code}, want 2; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toContain('--force');
    const listed = await s.json<{ contexts: { name: string }[] }>(['context', 'list']);
    expect(listed.contexts.map((c) => c.name)).toEqual(['keep']);
  });

  it('an unknown context exits 2 and lists the known ones', async () => {
    const s = sandbox();
    await s.json(['context', 'add', 'alpha', '-b', 'k:1']);
    for (const args of [
      ['context', 'use', 'nope'],
      ['context', 'show', 'nope'],
      ['context', 'remove', 'nope', '--force'],
      ['topic', 'list', '--context', 'nope'],
    ]) {
      const r = await s.run(args);
      expect(r.code, `${args.join(' ')}: got exit ${r.code}, want 2`).toBe(2);
      expect(r.stderr).toContain('no context named "nope"');
      expect(r.stderr).toContain('known contexts: alpha');
    }
  });

  it.each<[string, string[], string[], Record<string, string>]>([
    ['the current context', ['--use'], [], {}],
    ['--context', [], ['--context', 'dead'], {}],
    ['EVENTBENCH_CONTEXT', [], [], { EVENTBENCH_CONTEXT: 'dead' }],
  ])('an unreachable context via %s exits 3 naming the context', async (_, addFlags, extra, env) => {
    const s = sandbox();
    await s.json(['context', 'add', 'dead', '-b', '127.0.0.1:1', ...addFlags]);
    const r = await s.run(['topic', 'list', '--connect-timeout', '2s', ...extra], env);
    expect(r.code, `got exit ${r.code}, want 3; stderr: ${r.stderr}`).toBe(3);
    expect(r.stderr).toContain('127.0.0.1:1 (context "dead"');
    expect(r.stderr).toContain('eventbench context show dead');
  });

  it('a malformed config file exits 2 naming the file', async () => {
    const s = sandbox();
    const path = join(s.dir, 'broken.json');
    writeFileSync(path, '{"contexts": ');
    const r = await s.run(['context', 'list'], { EVENTBENCH_CONFIG: path });
    expect(r.code, `got exit ${r.code}, want 2`).toBe(2);
    expect(r.stderr).toContain(`config file ${path} is not valid JSON`);
  });

  it.each(['list', 'use', 'show', 'add', 'remove'])(
    'context %s --help teaches with examples',
    async (verb) => {
      const r = await runCli(['context', verb, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('EXAMPLES');
      expect(r.stdout).toContain(`context ${verb}`);
    },
  );
});
