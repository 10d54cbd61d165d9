import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cacheFile,
  mayImportDynamically,
  readCache,
  writeCache,
} from '../../../src/lib/cli/compile-cache.js';

const tmp = mkdtempSync(join(tmpdir(), 'eb-compile-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mayImportDynamically', () => {
  it.each([
    ['const m = await import("x")', true],
    ['return import(url.href)', true],
    ['x.then(() => import ( "y" ))', true],
    ['/** @type {import("a").B} */ const m = import("b")', true],
    [' * @param {import("../types").Logger} params.logger', false],
    ['  /** @type {import("../../types").Admin["on"]} */', false],
    ['// import("a") in a line comment', false],
    ['thing.import("a"); reimport(b); $import(c)', false],
    ['const imported = 1', false],
  ])('%s → %s', (source, want) => {
    expect(mayImportDynamically(`'use strict';\n${source}\n`), `got the opposite, want ${want}`).toBe(want);
  });
});

describe('the cache file', () => {
  const entries = new Map([
    ['/a/node_modules/p/index.js', { sourceHash: 'aa'.repeat(20), data: Buffer.from('first') }],
    ['/a/node_modules/p/ü.js', { sourceHash: 'bb'.repeat(20), data: Buffer.alloc(0) }],
  ]);

  it('round-trips', () => {
    const file = join(tmp, 'round', 'c.bin');
    writeCache(file, entries);
    const got = readCache(file);
    expect([...got.keys()]).toEqual([...entries.keys()]);
    for (const [k, e] of entries) {
      expect(got.get(k)?.sourceHash).toBe(e.sourceHash);
      expect(got.get(k)?.data.toString('hex')).toBe(e.data.toString('hex'));
    }
  });

  it.each([
    ['a flipped byte', (b: Buffer) => (b[20] = b[20]! ^ 0xff)],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length - 7)],
    ['another format', (b: Buffer) => b.write('xxxxx', 0, 'latin1')],
    ['an empty file', () => Buffer.alloc(0)],
  ])('is empty after %s', (_, damage) => {
    const file = join(tmp, 'damaged', 'c.bin');
    writeCache(file, entries);
    const buf = readFileSync(file);
    const out = damage(buf);
    writeFileSync(file, Buffer.isBuffer(out) ? out : buf);
    expect(readCache(file).size, 'got entries from a damaged file, want none').toBe(0);
  });

  it('is empty when missing', () => {
    expect(readCache(join(tmp, 'nothing-here.bin')).size).toBe(0);
  });

  it('lives under $XDG_CACHE_HOME/eventbench, else ~/.cache/eventbench', () => {
    expect(cacheFile({ XDG_CACHE_HOME: '/x/cache' }).startsWith('/x/cache/eventbench/v8/')).toBe(true);
    expect(cacheFile({ XDG_CACHE_HOME: 'relative' })).toContain('/.cache/eventbench/v8/');
  });
});

/**
 * Installing the cache patches node:module for the whole process, so each case runs in its own
 * Node process (tsx loads the TypeScript source) with a package under a node_modules folder.
 */
describe('modules compiled through the cache', () => {
  const root = join(tmp, 'app');
  const pkg = join(root, 'node_modules', 'pkg');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'pkg', main: 'index.js' }));
  writeFileSync(
    join(pkg, 'index.js'),
    `'use strict';
const dep = require('./dep');
module.exports = {
  value: dep.value,
  dirname: __dirname,
  filename: __filename,
  resolved: require.resolve('./dep'),
  cached: require.cache[require.resolve('./dep')] !== undefined,
  thisIsExports: this === module.exports,
  loadDynamic: () => require('./dynamic')(),
};
`,
  );
  writeFileSync(join(pkg, 'dep.js'), 'exports.value = 41 + 1;\n');
  // A module with import() is left to Node: from cached data, Node 20 would lose its import callback.
  writeFileSync(
    join(pkg, 'dynamic.js'),
    "module.exports = () => import('node:os').then((os) => typeof os.cpus);\n",
  );
  const xdg = join(tmp, 'xdg');
  const src = pathToFileURL(join(process.cwd(), 'src', 'lib', 'cli', 'compile-cache.ts')).href;
  const script = `
import { createRequire } from 'node:module';
import { compileCacheStats, installCompileCache } from ${JSON.stringify(src)};
installCompileCache();
const m = createRequire(${JSON.stringify(join(root, 'main.js'))})('pkg');
const dynamic = await m.loadDynamic();
console.log(JSON.stringify({ ...m, dynamic, stats: compileCacheStats }));
`;

  function run(env: Record<string, string> = {}) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, XDG_CACHE_HOME: xdg, EVENTBENCH_COMPILE_CACHE: undefined, ...env },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as {
      value: number;
      dirname: string;
      filename: string;
      resolved: string;
      cached: boolean;
      thisIsExports: boolean;
      dynamic: string;
      stats: { installed: boolean; hits: number; misses: number };
    };
  }
  const want = {
    value: 42,
    dirname: pkg,
    filename: join(pkg, 'index.js'),
    resolved: join(pkg, 'dep.js'),
    cached: true,
    thisIsExports: true,
    dynamic: 'function',
  };

  it('run as Node runs them, from cached data once the cache exists', () => {
    const first = run();
    expect(first).toMatchObject(want);
    expect(first.stats).toMatchObject({ installed: true, hits: 0, misses: 2 });
    const file = readdirOne(join(xdg, 'eventbench', 'v8'));
    expect(readCache(file).size).toBe(2);

    const second = run();
    expect(second).toMatchObject(want);
    expect(second.stats).toMatchObject({ hits: 2, misses: 0 });
  });

  it('compile a changed module afresh, even at the same length', () => {
    run();
    writeFileSync(join(pkg, 'dep.js'), 'exports.value = 41 + 2;\n');
    const changed = run();
    expect(changed.value, 'got the old source, want the changed one').toBe(43);
    expect(changed.stats).toMatchObject({ hits: 1, misses: 1 });
    writeFileSync(join(pkg, 'dep.js'), 'exports.value = 41 + 1;\n');
  });

  it('ignore a damaged cache file and write a good one', () => {
    run();
    const file = readdirOne(join(xdg, 'eventbench', 'v8'));
    const buf = readFileSync(file);
    buf.fill(0x55, 40, 200);
    writeFileSync(file, buf);
    const damaged = run();
    expect(damaged).toMatchObject(want);
    expect(damaged.stats).toMatchObject({ hits: 0, misses: 2 });
    expect(run().stats).toMatchObject({ hits: 2, misses: 0 });
  });

  it('are compiled by Node with EVENTBENCH_COMPILE_CACHE=0', () => {
    const off = join(tmp, 'xdg-off');
    const r = run({ EVENTBENCH_COMPILE_CACHE: '0', XDG_CACHE_HOME: off });
    expect(r).toMatchObject(want);
    expect(r.stats.installed).toBe(false);
    expect(existsSync(join(off, 'eventbench')), 'got a cache directory, want none').toBe(false);
  });
});

function readdirOne(dir: string): string {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bin')) : [];
  expect(files.length, `got ${files.join(', ') || 'none'} in ${dir}, want one cache file`).toBe(1);
  return join(dir, files[0]!);
}
