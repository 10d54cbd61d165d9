import { hash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { Script } from 'node:vm';

/**
 * A V8 code cache for the CommonJS modules under node_modules (oclif and its dependencies,
 * kafkajs): about 260 modules load before a command sends its first request, and compiling them
 * was the largest single cost of a short command. Node 22 has module.enableCompileCache(); Node 20
 * has only vm.Script's cachedData, so CommonJS compilation goes through a vm.Script here.
 *
 * One file holds the cache, under $XDG_CACHE_HOME/eventbench (default ~/.cache/eventbench), named
 * by Node version, architecture and Node flags (V8 rejects data made under other flags). Each
 * entry keeps a hash of the module's source, so a changed module is compiled afresh, and the file
 * ends with a hash of its contents, so a damaged file is ignored as a whole. Anything unexpected
 * (an unreadable or unwritable directory, a rejected entry) means compiling as Node would. The
 * file is rewritten at exit when a module had to be compiled without data (see saveAtExit).
 *
 * Off with EVENTBENCH_COMPILE_CACHE=0 (or Node 22's NODE_DISABLE_COMPILE_CACHE=1).
 */

interface CjsModule {
  exports: unknown;
  require(id: string): unknown;
}

/** The internals of node:module this replaces or calls; stable since Node 12 (v8-compile-cache uses the same). */
interface ModuleInternals {
  prototype: { _compile(this: CjsModule, content: string, filename: string, format?: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: CjsModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: CjsModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

interface Entry {
  sourceHash: string;
  data: Buffer;
}

const MAGIC = 'ebcc1';
const HASH = 'sha1';
const HASH_BYTES = 20;
/**
 * Past this many entries (upgrades and other checkouts leave other paths behind) a rewrite keeps
 * only this run's modules: every start reads and checks the whole file (~2 KB an entry; a command
 * uses about 260).
 */
const MAX_ENTRIES = 1500;
const NODE_MODULES = `${sep}node_modules${sep}`;

/** What this process's cache did (for tests): modules compiled from cached data, and compiled afresh. */
export const compileCacheStats = { installed: false, hits: 0, misses: 0 };

export function installCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  if (compileCacheStats.installed) return;
  if (env.EVENTBENCH_COMPILE_CACHE === '0' || env.NODE_DISABLE_COMPILE_CACHE) return;
  // With source maps on, Node maps stack traces of the modules it compiles itself; keep that.
  if (process.execArgv.some((a) => a.startsWith('--enable-source-maps'))) return;
  if (typeof Script.prototype.createCachedData !== 'function') return;
  const mod = Module as unknown as ModuleInternals;
  const compile = mod.prototype._compile;
  if (typeof compile !== 'function' || typeof mod.wrap !== 'function') return;

  const file = cacheFile(env);
  const entries = readCache(file);
  /** Every module compiled here in this run; their data is made at exit when one was a miss. */
  const compiled = new Map<string, { sourceHash: string; script: Script }>();

  compileCacheStats.installed = true;
  mod.prototype._compile = function (this: CjsModule, content: string, filename: string, format?: string) {
    if ((format !== undefined && format !== 'commonjs') || !cacheable(filename, content)) {
      return compile.call(this, content, filename, format);
    }
    const sourceHash = hash(HASH, content);
    const entry = entries.get(filename);
    const cachedData = entry?.sourceHash === sourceHash ? entry.data : undefined;
    let script: Script;
    try {
      script = new Script(mod.wrap(content), { filename, cachedData });
    } catch {
      // A syntax error (or ESM syntax Node would detect): Node's own path reports it as Node does.
      return compile.call(this, content, filename, format);
    }
    compiled.set(filename, { sourceHash, script });
    if (cachedData !== undefined && !script.cachedDataRejected) compileCacheStats.hits++;
    else compileCacheStats.misses++;
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this, mod), this, filename, dirname(filename));
  };

  process.once('exit', () => {
    if (compileCacheStats.misses === 0) return;
    try {
      saveAtExit();
    } catch {
      // an exit handler must not throw: the command's own exit code stands
    }
  });

  /**
   * Data made at exit holds every function that has been compiled: the module's top level, the
   * functions this run called (V8 compiles them lazily) and those that came from cached data. So
   * the cache gathers what the commands run so far needed; one-record produce measured ~20 ms
   * faster with it than with data made right after compiling (top levels only).
   */
  function saveAtExit(): void {
    const out = new Map<string, Entry>();
    if (entries.size + compiled.size <= MAX_ENTRIES) {
      for (const [name, e] of entries) if (!compiled.has(name)) out.set(name, e);
    }
    for (const [name, { sourceHash, script }] of compiled) {
      try {
        out.set(name, { sourceHash, data: script.createCachedData() });
      } catch {
        // no data for this one; it is compiled again next time
      }
    }
    writeCache(file, out);
  }
}

/**
 * Modules a vm.Script may compile: CommonJS under node_modules, without a shebang (legal only at
 * the very start of a script, and Module.wrap puts a line before it) and without import(): Node 20
 * loses a vm.Script's dynamic-import callback when the script comes from cached data
 * (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). oclif loads commands with import(), so its module
 * loader and the few others with import() are compiled by Node.
 */
function cacheable(filename: string, content: string): boolean {
  return filename.includes(NODE_MODULES) && !content.startsWith('#!') && !mayImportDynamically(content);
}

const DYNAMIC_IMPORT = /(?<![\w$.])import\s*\(/g;

/**
 * True for any `import(` outside a comment. Comments are recognised only where JSDoc types put
 * `import("…")` (kafkajs's `@param {import("../types").Logger}`): a line that starts with `//`,
 * or with `*` or `/**` and holds no `*\/` before the match. Anything else counts as a call,
 * which only costs the cache for that module.
 */
export function mayImportDynamically(source: string): boolean {
  DYNAMIC_IMPORT.lastIndex = 0;
  for (let m = DYNAMIC_IMPORT.exec(source); m; m = DYNAMIC_IMPORT.exec(source)) {
    const before = source.slice(source.lastIndexOf('\n', m.index) + 1, m.index).trimStart();
    const inComment =
      before.startsWith('//') ||
      ((/^\*(?:\s|$)/.test(before) || before.startsWith('/**')) && !before.includes('*/'));
    if (!inComment) return true;
  }
  return false;
}

/** The `require` Node gives a module (makeRequireFunction in lib/internal/modules/helpers.js). */
function requireFor(module: CjsModule, mod: ModuleInternals): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) =>
    mod._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => mod._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = mod._extensions as NodeJS.Require['extensions'];
  require.cache = mod._cache as NodeJS.Require['cache'];
  return require;
}

/** $XDG_CACHE_HOME/eventbench (default ~/.cache/eventbench)/v8/<node, arch, flags>.bin */
export function cacheFile(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  const flags = hash(HASH, JSON.stringify([process.execArgv, env.NODE_OPTIONS ?? ''])).slice(0, 12);
  return join(base, 'eventbench', 'v8', `${process.version}-${process.arch}-${flags}.bin`);
}

/**
 * The file: MAGIC, u32 count, then per entry u32 name length, name (utf8), source hash,
 * u32 data length, data; last, the hash of everything before it. Empty on any fault.
 */
export function readCache(file: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return entries;
  }
  try {
    const body = buf.subarray(0, buf.length - HASH_BYTES);
    if (buf.length < MAGIC.length + 4 + HASH_BYTES) return entries;
    if (body.toString('latin1', 0, MAGIC.length) !== MAGIC) return entries;
    if (!hash(HASH, body, 'buffer').equals(buf.subarray(body.length))) return entries;
    let at = MAGIC.length;
    const count = body.readUInt32LE(at);
    at += 4;
    for (let i = 0; i < count; i++) {
      const nameLength = body.readUInt32LE(at);
      const name = body.toString('utf8', at + 4, at + 4 + nameLength);
      at += 4 + nameLength;
      const sourceHash = body.toString('hex', at, at + HASH_BYTES);
      const dataLength = body.readUInt32LE(at + HASH_BYTES);
      at += HASH_BYTES + 4;
      if (at + dataLength > body.length) return new Map();
      entries.set(name, { sourceHash, data: body.subarray(at, at + dataLength) });
      at += dataLength;
    }
  } catch {
    return new Map();
  }
  return entries;
}

/** Written to a temporary file and renamed: a concurrent reader sees the old file or the new one. */
export function writeCache(file: string, entries: Map<string, Entry>): void {
  const parts: Buffer[] = [Buffer.from(MAGIC, 'latin1'), u32(entries.size)];
  for (const [name, { sourceHash, data }] of entries) {
    const n = Buffer.from(name, 'utf8');
    parts.push(u32(n.length), n, Buffer.from(sourceHash, 'hex'), u32(data.length), data);
  }
  const body = Buffer.concat(parts);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, Buffer.concat([body, hash(HASH, body, 'buffer')]));
    renameSync(tmp, file);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing more to do: the next run compiles as Node does
    }
  }
}

function u32(n: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(n, 0);
  return b;
}
