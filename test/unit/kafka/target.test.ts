import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/lib/cli/errors.js';
import { saveConfig, type ConfigFile, type ContextConfig } from '../../../src/lib/kafka/config.js';
import { EMBEDDED_PORT, resolveTarget, type TargetInputs } from '../../../src/lib/kafka/target.js';
import { thrown, useTempDirs } from './support.js';

/**
 * Each source points at its own broker, so the winner is visible from the brokers alone.
 * Listed from highest to lowest precedence; the embedded broker is what is left when none is set.
 */
const sources = {
  flag: { brokers: '10.0.0.1:1001', source: 'flag' },
  'context-flag': { brokers: '10.0.0.2:1002', source: 'context-flag' },
  EVENTBENCH_BROKERS: { brokers: '10.0.0.3:1003', source: 'env' },
  KAFKA_BROKERS: { brokers: '10.0.0.4:1004', source: 'env' },
  EVENTBENCH_CONTEXT: { brokers: '10.0.0.5:1005', source: 'env-context' },
  'current-context': { brokers: '10.0.0.6:1006', source: 'current-context' },
} as const;
type SourceName = keyof typeof sources;
const order = Object.keys(sources) as SourceName[];

const config: ConfigFile = {
  contexts: {
    viaflag: { brokers: [sources['context-flag'].brokers] },
    viaenv: { brokers: [sources.EVENTBENCH_CONTEXT.brokers] },
    viacurrent: { brokers: [sources['current-context'].brokers] },
  },
};

function inputsFor(set: SourceName[]): TargetInputs {
  const env: NodeJS.ProcessEnv = {};
  const inputs: TargetInputs = { env, config: { ...config } };
  for (const s of set) {
    if (s === 'flag') inputs.brokersFlag = sources.flag.brokers;
    if (s === 'context-flag') inputs.contextFlag = 'viaflag';
    if (s === 'EVENTBENCH_BROKERS') env.EVENTBENCH_BROKERS = sources.EVENTBENCH_BROKERS.brokers;
    if (s === 'KAFKA_BROKERS') env.KAFKA_BROKERS = sources.KAFKA_BROKERS.brokers;
    if (s === 'EVENTBENCH_CONTEXT') env.EVENTBENCH_CONTEXT = 'viaenv';
    if (s === 'current-context') inputs.config = { ...config, currentContext: 'viacurrent' };
  }
  return inputs;
}

const pairs: [SourceName, SourceName][] = order.flatMap((hi, i) =>
  order.slice(i + 1).map((lo) => [hi, lo] as [SourceName, SourceName]),
);

describe('resolveTarget precedence', () => {
  it('covers every pair of sources', () => {
    expect(pairs.length, `got ${pairs.length} pairs, want 15`).toBe(15);
  });

  it.each(pairs)('%s beats %s', (hi, lo) => {
    const t = resolveTarget(inputsFor([hi, lo]));
    const want = sources[hi];
    expect(t.brokers, `got ${t.brokers.join(',')} (${t.source}), want ${want.brokers} from ${hi}`).toEqual([
      want.brokers,
    ]);
    expect(t.source).toBe(want.source);
  });

  it.each(order)('%s alone beats the embedded default', (only) => {
    const t = resolveTarget(inputsFor([only]));
    expect(t.brokers, `got ${t.brokers.join(',')}, want ${sources[only].brokers}`).toEqual([
      sources[only].brokers,
    ]);
  });

  it('all sources at once: --brokers wins', () => {
    const t = resolveTarget(inputsFor(order));
    expect(t.source).toBe('flag');
  });

  it('nothing set: the embedded broker on 127.0.0.1:9192', () => {
    const t = resolveTarget(inputsFor([]));
    expect(t).toMatchObject({ source: 'embedded', brokers: [`127.0.0.1:${EMBEDDED_PORT}`] });
    expect(EMBEDDED_PORT).toBe(9192);
  });

  it.each<[SourceName, string]>([
    ['flag', 'from --brokers'],
    ['context-flag', 'context "viaflag", from --context'],
    ['EVENTBENCH_BROKERS', 'from EVENTBENCH_BROKERS'],
    ['KAFKA_BROKERS', 'from KAFKA_BROKERS'],
    ['EVENTBENCH_CONTEXT', 'context "viaenv", from EVENTBENCH_CONTEXT'],
    ['current-context', 'context "viacurrent", from current context'],
  ])('%s: describe says where the target came from', (only, want) => {
    const t = resolveTarget(inputsFor([only]));
    expect(t.describe, `got ${t.describe}, want it to contain ${want}`).toContain(want);
  });

  it('an empty EVENTBENCH_BROKERS falls through to KAFKA_BROKERS', () => {
    const t = resolveTarget({ env: { EVENTBENCH_BROKERS: '', KAFKA_BROKERS: 'k:1' }, config });
    expect(t.brokers).toEqual(['k:1']);
  });

  it.each(['EVENTBENCH_BROKERS', 'KAFKA_BROKERS'])('a bad %s is a usage error naming it', (name) => {
    const e = thrown(() => resolveTarget({ env: { [name]: 'host:notaport' }, config }));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toContain(name);
  });
});

describe('resolveTarget details', () => {
  const tempDir = useTempDirs();

  it('EVENTBENCH_EMBEDDED_PORT moves the embedded default', () => {
    const t = resolveTarget({ env: { EVENTBENCH_EMBEDDED_PORT: '9300' }, config });
    expect(t.brokers).toEqual(['127.0.0.1:9300']);
  });

  it.each(['abc', '0', '70000', '12x'])('EVENTBENCH_EMBEDDED_PORT=%s is a usage error', (port) => {
    const e = thrown(() => resolveTarget({ env: { EVENTBENCH_EMBEDDED_PORT: port }, config }));
    expect(e.exitCode).toBe(ExitCode.usage);
  });

  it.each<[string, NodeJS.ProcessEnv, ContextConfig, string]>([
    ['default', {}, { brokers: ['k:1'] }, 'eventbench'],
    ['EVENTBENCH_CLIENT_ID', { EVENTBENCH_CLIENT_ID: 'from-env' }, { brokers: ['k:1'] }, 'from-env'],
    [
      'the context over EVENTBENCH_CLIENT_ID',
      { EVENTBENCH_CLIENT_ID: 'from-env' },
      { brokers: ['k:1'], clientId: 'from-ctx' },
      'from-ctx',
    ],
  ])('client id: %s', (_, env, ctx, want) => {
    const t = resolveTarget({ env, contextFlag: 'c', config: { contexts: { c: ctx } } });
    expect(t.clientId, `got ${t.clientId}, want ${want}`).toBe(want);
  });

  it('takes the SASL password from the named variable, and never puts it in describe', () => {
    const cfg: ConfigFile = {
      contexts: {
        s: {
          brokers: ['k:1'],
          sasl: { mechanism: 'scram-sha-512', username: 'alice', passwordEnv: 'PW_VAR' },
        },
      },
    };
    const t = resolveTarget({ env: { PW_VAR: 'pa55-distinct' }, contextFlag: 's', config: cfg });
    expect(t.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'alice', password: 'pa55-distinct' });
    expect(t.describe).not.toContain('pa55-distinct');
  });

  it('a missing password variable is a usage error naming the variable', () => {
    const cfg: ConfigFile = {
      contexts: {
        s: { brokers: ['k:1'], sasl: { mechanism: 'plain', username: 'alice', passwordEnv: 'PW_MISSING' } },
      },
    };
    const e = thrown(() => resolveTarget({ env: {}, contextFlag: 's', config: cfg }));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toContain('$PW_MISSING');
    expect(e.hint).toContain('PW_MISSING');
  });

  it('reads the TLS files into buffers; rejectUnauthorized defaults to true', () => {
    const dir = tempDir();
    const files = { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' };
    for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, `${k}.pem`), v);
    const tls = { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
    const t = resolveTarget({
      env: {},
      contextFlag: 't',
      config: { contexts: { t: { brokers: ['k:1'], tls } } },
    });
    const ssl = t.ssl as { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean };
    expect(ssl.ca?.toString()).toBe('CA PEM');
    expect(ssl.cert?.toString()).toBe('CERT PEM');
    expect(ssl.key?.toString()).toBe('KEY PEM');
    expect(ssl.rejectUnauthorized).toBe(true);
  });

  it('keeps rejectUnauthorized false, and TLS with no files means system CAs', () => {
    const cfg: ConfigFile = { contexts: { t: { brokers: ['k:1'], tls: { rejectUnauthorized: false } } } };
    const t = resolveTarget({ env: {}, contextFlag: 't', config: cfg });
    expect(t.ssl).toEqual({ ca: undefined, cert: undefined, key: undefined, rejectUnauthorized: false });
  });

  it('an unreadable TLS file is a usage error naming the file', () => {
    const missing = join(tempDir(), 'gone.pem');
    const cfg: ConfigFile = { contexts: { t: { brokers: ['k:1'], tls: { ca: missing } } } };
    const e = thrown(() => resolveTarget({ env: {}, contextFlag: 't', config: cfg }));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toContain(missing);
  });

  it('an unknown context is a usage error listing the known ones', () => {
    const e = thrown(() => resolveTarget({ env: {}, contextFlag: 'nope', config }));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toContain('"nope"');
    expect(e.hint).toBe('known contexts: viaflag, viaenv, viacurrent');
  });

  it('an unknown context with no contexts at all says how to add one', () => {
    const e = thrown(() => resolveTarget({ env: { EVENTBENCH_CONTEXT: 'nope' }, config: { contexts: {} } }));
    expect(e.hint).toContain('context add');
  });

  it('loads the config file from EVENTBENCH_CONFIG when none is passed', () => {
    const path = join(tempDir(), 'c.json');
    saveConfig({ currentContext: 'x', contexts: { x: { brokers: ['file-host:7777'] } } }, path);
    const t = resolveTarget({ env: { EVENTBENCH_CONFIG: path } });
    expect(t).toMatchObject({ source: 'current-context', brokers: ['file-host:7777'], contextName: 'x' });
  });

  it('a malformed config file stops resolution with exit code 2', () => {
    const path = join(tempDir(), 'c.json');
    writeFileSync(path, '{ not json');
    const e = thrown(() => resolveTarget({ env: { EVENTBENCH_CONFIG: path } }));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toContain(path);
  });

  it('--brokers never reads the config file, so a broken file does not block it', () => {
    const path = join(tempDir(), 'c.json');
    writeFileSync(path, '{ not json');
    const t = resolveTarget({ env: { EVENTBENCH_CONFIG: path }, brokersFlag: 'h:1' });
    expect(t.brokers).toEqual(['h:1']);
  });
});
