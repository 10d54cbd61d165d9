import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/lib/cli/errors.js';
import { loadConfig } from '../../../src/lib/kafka/config.js';
import {
  addContext,
  listContexts,
  removeContext,
  showContext,
  useContext,
  type ContextSpec,
  type StoreOptions,
} from '../../../src/lib/kafka/contexts.js';
import { thrown, useTempDirs } from './support.js';

describe('contexts', () => {
  const tempDir = useTempDirs();
  const store = (env: NodeJS.ProcessEnv = {}): StoreOptions & { path: string } => ({
    env,
    path: join(tempDir(), 'config.json'),
  });

  it('add, list, use, show, remove round trip', () => {
    const s = store({ PW: 'x' });
    addContext('local', { brokers: '127.0.0.1' }, {}, s);
    addContext(
      'prod',
      {
        brokers: ['k1:9093', 'k2'],
        sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', passwordEnv: 'PW' },
      },
      { use: true },
      s,
    );
    const listing = listContexts(s);
    expect(listing).toEqual({
      configPath: s.path,
      currentContext: 'prod',
      contexts: [
        {
          name: 'local',
          current: false,
          brokers: ['127.0.0.1:9092'],
          clientId: null,
          tls: false,
          sasl: null,
        },
        {
          name: 'prod',
          current: true,
          brokers: ['k1:9093', 'k2:9092'],
          clientId: null,
          tls: false,
          sasl: { mechanism: 'scram-sha-512', username: 'alice' },
        },
      ],
      target: {
        source: 'current-context',
        describe: 'k1:9093,k2:9092 (context "prod", from current context)',
        context: 'prod',
        error: null,
      },
    });

    expect(useContext('local', s)).toEqual({ currentContext: 'local', previous: 'prod', configPath: s.path });
    expect(showContext(undefined, s).name).toBe('local');
    expect(removeContext('local', s)).toEqual({
      removed: 'local',
      wasCurrent: true,
      currentContext: null,
      configPath: s.path,
    });
    expect(loadConfig(s.path)).toEqual({ currentContext: undefined, contexts: { prod: expect.anything() } });
  });

  it('removing a context that is not current keeps the current one', () => {
    const s = store();
    addContext('a', { brokers: 'a:1' }, { use: true }, s);
    addContext('b', { brokers: 'b:1' }, {}, s);
    expect(removeContext('b', s)).toMatchObject({ wasCurrent: false, currentContext: 'a' });
  });

  it('use(null) clears the current context, falling back to the embedded broker', () => {
    const s = store();
    addContext('a', { brokers: 'a:1' }, { use: true }, s);
    useContext(null, s);
    expect(listContexts(s).target).toMatchObject({ source: 'embedded', error: null });
  });

  it('show never includes the password, only its variable name and whether it is set', () => {
    const secret = 'hunter2-very-distinct';
    const s = store({ KPW: secret });
    addContext(
      'p',
      { brokers: 'k:1', tls: {}, sasl: { mechanism: 'plain', username: 'u', passwordEnv: 'KPW' } },
      {},
      s,
    );
    const shown = showContext('p', s);
    expect(shown.sasl).toEqual({ mechanism: 'plain', username: 'u', passwordEnv: 'KPW', passwordSet: true });
    expect(JSON.stringify(shown)).not.toContain(secret);
    expect(JSON.stringify(listContexts(s))).not.toContain(secret);
    expect(readFileSync(s.path, 'utf8')).not.toContain(secret);
    const unset = showContext('p', { path: s.path, env: {} });
    expect(unset.sasl?.passwordSet).toBe(false);
    expect(unset.warnings.join('\n')).toContain('$KPW is not set');
  });

  it('warns that SASL plain without TLS sends the password in clear text', () => {
    const s = store({ P: 'x' });
    const r = addContext(
      'p',
      { brokers: 'k:1', sasl: { mechanism: 'plain', username: 'u', passwordEnv: 'P' } },
      {},
      s,
    );
    expect(r.context.warnings).toEqual(['SASL plain without TLS sends the password in clear text']);
  });

  it('stores TLS files as absolute paths and checks they exist', () => {
    const dir = tempDir();
    for (const f of ['ca.pem', 'c.pem', 'k.pem']) writeFileSync(join(dir, f), 'PEM');
    const s = store();
    const r = addContext(
      't',
      { brokers: 'k:1', tls: { ca: join(dir, 'ca.pem'), cert: join(dir, 'c.pem'), key: join(dir, 'k.pem') } },
      {},
      s,
    );
    expect(r.context.tls).toEqual({
      ca: join(dir, 'ca.pem'),
      cert: join(dir, 'c.pem'),
      key: join(dir, 'k.pem'),
      rejectUnauthorized: true,
    });
    expect(r.context.warnings).toEqual([]);
  });

  it('adding an existing name needs overwrite', () => {
    const s = store();
    addContext('a', { brokers: 'a:1' }, {}, s);
    const e = thrown(() => addContext('a', { brokers: 'b:1' }, {}, s));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.hint).toContain('--overwrite');
    const r = addContext('a', { brokers: 'b:1' }, { overwrite: true }, s);
    expect(r).toMatchObject({ replaced: true, context: { brokers: ['b:1'] } });
  });

  it.each(['use', 'show', 'remove'] as const)('%s of an unknown context lists the known ones', (op) => {
    const s = store();
    addContext('beta', { brokers: 'b:1' }, {}, s);
    addContext('alpha', { brokers: 'a:1' }, {}, s);
    const f = { use: useContext, show: showContext, remove: removeContext }[op];
    const e = thrown(() => f('nope', s));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toBe('no context named "nope"');
    expect(e.hint).toBe('known contexts: alpha, beta');
  });

  it('show with no name and no current context is a usage error', () => {
    expect(thrown(() => showContext(undefined, store())).exitCode).toBe(ExitCode.usage);
  });

  it('list reports a broken current context instead of failing', () => {
    const s = store({});
    addContext(
      'p',
      { brokers: 'k:1', tls: {}, sasl: { mechanism: 'plain', username: 'u', passwordEnv: 'NOPE_PW' } },
      { use: true },
      s,
    );
    const t = listContexts(s).target;
    expect(t.source).toBeNull();
    expect(t.error).toContain('$NOPE_PW');
  });

  it('list says which target wins now, e.g. KAFKA_BROKERS over the current context', () => {
    const s = store({ KAFKA_BROKERS: 'env-host:1' });
    addContext('a', { brokers: 'a:1' }, { use: true }, s);
    expect(listContexts(s).target).toMatchObject({
      source: 'env',
      describe: 'env-host:1 (from KAFKA_BROKERS)',
    });
  });

  it.each<[string, ContextSpec, string]>([
    ['bad brokers', { brokers: 'h:x' }, '"h:x" is not host:port'],
    [
      'an unknown mechanism',
      { brokers: 'k:1', sasl: { mechanism: 'gssapi', username: 'u', passwordEnv: 'P' } },
      'SASL mechanism "gssapi" is not supported',
    ],
    [
      'a mechanism without a user',
      { brokers: 'k:1', sasl: { mechanism: 'plain', passwordEnv: 'P' } },
      'SASL needs',
    ],
    [
      'a user without a password variable',
      { brokers: 'k:1', sasl: { mechanism: 'plain', username: 'u' } },
      'SASL needs',
    ],
    [
      'an empty user',
      { brokers: 'k:1', sasl: { mechanism: 'plain', username: ' ', passwordEnv: 'P' } },
      '--sasl-username is empty',
    ],
    [
      'a cert without a key',
      { brokers: 'k:1', tls: { cert: '/etc/hostname' } },
      '--tls-cert and --tls-key go together',
    ],
    [
      'a missing CA file',
      { brokers: 'k:1', tls: { ca: '/nonexistent/ca.pem' } },
      '--tls-ca /nonexistent/ca.pem: does not exist',
    ],
    ['a directory as CA file', { brokers: 'k:1', tls: { ca: '/' } }, 'not a regular file'],
    ['an empty client id', { brokers: 'k:1', clientId: ' ' }, '--client-id is empty'],
  ])('rejects %s with a usage error', (_, spec, want) => {
    const s = store();
    const e = thrown(() => addContext('x', spec, {}, s));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message, `got ${e.message}, want it to contain ${want}`).toContain(want);
    expect(loadConfig(s.path).contexts, 'a rejected add must not write the context').toEqual({});
  });

  it('the mechanism error lists the accepted ones', () => {
    const e = thrown(() =>
      addContext(
        'x',
        { brokers: 'k:1', sasl: { mechanism: 'md5', username: 'u', passwordEnv: 'P' } },
        {},
        store(),
      ),
    );
    expect(e.hint).toBe('use one of: plain, scram-sha-256, scram-sha-512');
  });

  it.each(['hunter2!', 'my password', '1PW', 'pa$$'])(
    'a --password-env that is not a variable name (%j) is refused without echoing it',
    (value) => {
      const e = thrown(() =>
        addContext(
          'x',
          { brokers: 'k:1', sasl: { mechanism: 'plain', username: 'u', passwordEnv: value } },
          {},
          store(),
        ),
      );
      expect(e.exitCode).toBe(ExitCode.usage);
      expect(`${e.message} ${e.hint}`).not.toContain(value);
    },
  );

  it('rejects a bad context name before writing anything', () => {
    const s = store();
    expect(thrown(() => addContext('a/b', { brokers: 'k:1' }, {}, s)).exitCode).toBe(ExitCode.usage);
    expect(loadConfig(s.path).contexts).toEqual({});
  });
});
