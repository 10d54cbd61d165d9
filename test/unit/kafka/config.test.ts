import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/lib/cli/errors.js';
import {
  configPath,
  dataHome,
  loadConfig,
  parseBrokers,
  saveConfig,
  validateContextName,
  type ConfigFile,
} from '../../../src/lib/kafka/config.js';
import { thrown, useTempDirs } from './support.js';

describe('configPath', () => {
  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['EVENTBENCH_CONFIG wins', { EVENTBENCH_CONFIG: '/x/eb.json', XDG_CONFIG_HOME: '/xdg' }, '/x/eb.json'],
    ['XDG_CONFIG_HOME', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/eventbench/config.json'],
    ['default ~/.config', {}, join(homedir(), '.config', 'eventbench', 'config.json')],
    [
      'empty XDG_CONFIG_HOME is unset',
      { XDG_CONFIG_HOME: '' },
      join(homedir(), '.config', 'eventbench', 'config.json'),
    ],
    // The XDG base directory spec: a relative path in these variables is invalid and ignored.
    [
      'relative XDG_CONFIG_HOME is ignored',
      { XDG_CONFIG_HOME: 'rel/dir' },
      join(homedir(), '.config', 'eventbench', 'config.json'),
    ],
  ])('%s', (_, env, want) => {
    const got = configPath(env);
    expect(got, `got ${got}, want ${want}`).toBe(want);
  });
});

describe('dataHome', () => {
  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['EVENTBENCH_HOME wins', { EVENTBENCH_HOME: '/eb', XDG_DATA_HOME: '/data' }, '/eb'],
    ['XDG_DATA_HOME', { XDG_DATA_HOME: '/data' }, '/data/eventbench'],
    ['default ~/.local/share', {}, join(homedir(), '.local', 'share', 'eventbench')],
    [
      'relative XDG_DATA_HOME is ignored',
      { XDG_DATA_HOME: 'data' },
      join(homedir(), '.local', 'share', 'eventbench'),
    ],
  ])('%s', (_, env, want) => {
    const got = dataHome(env);
    expect(got, `got ${got}, want ${want}`).toBe(want);
  });
});

describe('parseBrokers', () => {
  it.each<[string, string[]]>([
    ['127.0.0.1:9092', ['127.0.0.1:9092']],
    ['localhost', ['localhost:9092']],
    ['kafka-1.example.com', ['kafka-1.example.com:9092']],
    ['a:1,b:2', ['a:1', 'b:2']],
    [' a:1 , b ', ['a:1', 'b:9092']],
    ['a:1,,b:2,', ['a:1', 'b:2']],
    ['h:1', ['h:1']],
    ['h:65535', ['h:65535']],
  ])('%j → %j', (text, want) => {
    const got = parseBrokers(text);
    expect(got, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`).toEqual(want);
  });

  it.each<[string, string]>([
    ['', 'is empty'],
    [' , ', 'is empty'],
    ['h:0', '"h:0"'],
    ['[::1]:9092', 'IPv6 literal "[::1]:9092"'],
    ['[::1]', 'IPv6 literal "[::1]"'],
    ['h:65536', '"h:65536"'],
    ['h:123456', '"h:123456"'],
    ['h:port', '"h:port"'],
    ['h:', '"h:"'],
    ['::1', '"::1"'],
    ['[::1', '"[::1"'],
    ['a b:1', '"a b:1"'],
    ['h_1:9092', '"h_1:9092"'],
    ['good:1,bad:x', '"bad:x"'],
  ])('%j is a usage error mentioning %s', (text, want) => {
    const e = thrown(() => parseBrokers(text));
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message, `got ${e.message}, want it to contain ${want}`).toContain(want);
  });

  it('names the source of the text in its error', () => {
    expect(thrown(() => parseBrokers('h:x', 'KAFKA_BROKERS')).message).toMatch(/^KAFKA_BROKERS:/);
  });
});

describe('validateContextName', () => {
  it.each(['prod', 'a', 'eu-west.1', 'my_ctx', '0day', 'x'.repeat(64)])('accepts %j', (name) => {
    expect(validateContextName(name)).toBe(name);
  });
  it.each(['', '-lead', '.hidden', 'a b', 'a/b', 'ä', 'x'.repeat(65)])('rejects %j', (name) => {
    expect(thrown(() => validateContextName(name)).exitCode).toBe(ExitCode.usage);
  });
});

describe('loadConfig and saveConfig', () => {
  const tempDir = useTempDirs();

  it('a missing file is an empty config', () => {
    expect(loadConfig(join(tempDir(), 'none.json'))).toEqual({ currentContext: undefined, contexts: {} });
  });

  it('round-trips through a save, creating the directories, and leaves no temp file', () => {
    const dir = join(tempDir(), 'deep', 'er');
    const path = join(dir, 'config.json');
    const cfg: ConfigFile = {
      currentContext: 'prod',
      contexts: {
        prod: {
          brokers: ['k1:9093', 'k2:9093'],
          clientId: 'me',
          tls: { ca: '/etc/ca.pem', rejectUnauthorized: false },
          sasl: { mechanism: 'scram-sha-256', username: 'alice', passwordEnv: 'PW' },
        },
        local: { brokers: ['127.0.0.1:9092'] },
      },
    };
    saveConfig(cfg, path);
    expect(loadConfig(path)).toEqual(cfg);
    expect(readdirSync(dir), 'got extra files, want only config.json').toEqual(['config.json']);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('writes the file readable by its owner only', () => {
    const path = join(tempDir(), 'config.json');
    saveConfig({ contexts: {} }, path);
    const mode = statSync(path).mode & 0o777;
    expect(mode, `got mode ${mode.toString(8)}, want 600`).toBe(0o600);
  });

  it('replaces an existing file whole', () => {
    const path = join(tempDir(), 'config.json');
    saveConfig({ contexts: { a: { brokers: ['a:1'] }, b: { brokers: ['b:1'] } } }, path);
    saveConfig({ contexts: { c: { brokers: ['c:1'] } } }, path);
    expect(loadConfig(path).contexts).toEqual({ c: { brokers: ['c:1'] } });
  });

  it('a failed save is an error that leaves no temp file and the old file intact', () => {
    const dir = tempDir();
    const path = join(dir, 'config.json');
    saveConfig({ contexts: { a: { brokers: ['a:1'] } } }, path);
    // Renaming a file over a non-empty directory fails; the temp file must not stay behind.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    expect(() => saveConfig({ contexts: {} }, blocked)).toThrow(/cannot write config file/);
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'config.json']);
    expect(loadConfig(path).contexts).toEqual({ a: { brokers: ['a:1'] } });
  });

  it('an unreadable path (not a missing one) is an error naming it', () => {
    // A directory fails to read even for root, unlike a chmod 000 file.
    const path = join(tempDir(), 'config.json');
    mkdirSync(path);
    const e = thrown(() => loadConfig(path));
    expect(e.message, `got ${e.message}, want it to name ${path}`).toContain(
      `cannot read config file ${path}`,
    );
  });

  it.each<[string, string]>([
    ['not JSON', '{ "contexts": '],
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"prod"'],
    ['contexts as a list', '{ "contexts": [] }'],
    ['currentContext as a number', '{ "currentContext": 1, "contexts": {} }'],
    ['a context as a string', '{ "contexts": { "a": "k:1" } }'],
    ['brokers as a string', '{ "contexts": { "a": { "brokers": "k:1" } } }'],
    ['brokers empty', '{ "contexts": { "a": { "brokers": [] } } }'],
    ['brokers with a number', '{ "contexts": { "a": { "brokers": [9092] } } }'],
    ['tls as true', '{ "contexts": { "a": { "brokers": ["k:1"], "tls": true } } }'],
    [
      'an unknown SASL mechanism',
      '{ "contexts": { "a": { "brokers": ["k:1"], "sasl": { "mechanism": "gssapi", "username": "u", "passwordEnv": "P" } } } }',
    ],
    [
      'SASL without passwordEnv',
      '{ "contexts": { "a": { "brokers": ["k:1"], "sasl": { "mechanism": "plain", "username": "u" } } } }',
    ],
    [
      'a stored password',
      '{ "contexts": { "a": { "brokers": ["k:1"], "sasl": { "mechanism": "plain", "username": "u", "passwordEnv": "P", "password": "x" } } } }',
    ],
  ])('a malformed file (%s) is exit code 2 naming the file', (_, text) => {
    const path = join(tempDir(), 'config.json');
    writeFileSync(path, text);
    const e = thrown(() => loadConfig(path));
    expect(e.exitCode, `got exit ${e.exitCode}, want 2 (${e.message})`).toBe(ExitCode.usage);
    expect(e.message).toContain(path);
    expect(e.hint).toBeTruthy();
  });

  it('a file with no contexts key is an empty config', () => {
    const path = join(tempDir(), 'config.json');
    writeFileSync(path, '{}');
    expect(loadConfig(path).contexts).toEqual({});
  });
});
