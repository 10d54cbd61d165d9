#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { format } from 'node:util';

// `eventbench --version` is answered here without loading oclif (~100 ms of module loading on a
// small machine). It prints what oclif prints for it — config.userAgent,
// "<name>/<version> <platform>-<arch> node-<version>" — and oclif, too, only looks at argv[0].
// oclif reports "wsl" as the platform under WSL; we leave anything that might be WSL to oclif.
// test/e2e/foundation/cold-start-fast-path.test.ts compares both answers byte for byte.
const agent = process.argv[2] === '--version' ? fastUserAgent() : undefined;
if (agent) {
  // As oclif's ux.stdout() writes it; console.log also ignores EPIPE (`eventbench --version | true`).
  console.log(format(agent));
} else {
  // A V8 code cache for the CommonJS modules oclif and kafkajs load (src/lib/cli/compile-cache.ts).
  // It only speeds things up: without it (or if it fails to load), modules compile as usual.
  try {
    const { installCompileCache } = await import('../dist/lib/cli/compile-cache.js');
    installCompileCache();
  } catch {
    // compiled without the cache
  }
  // The narrow entry point: '@oclif/core' itself also loads the parser, Command, Flags, semver
  // and more, which help and --version never use; a command's module imports them when it runs.
  const { execute } = await import('@oclif/core/execute');

  await execute({ dir: import.meta.url });

  // A command is done when execute() resolves. Sockets that kafkajs abandoned after a connect
  // timeout (a broker that accepts but never answers) would otherwise keep the process alive
  // until their own request timeout; the timer is unref'd, so a normal exit is never delayed by it.
  setTimeout(() => process.exit(), 300).unref();
}

/** oclif's userAgent, or undefined when only oclif can tell (possibly WSL, unreadable package.json). */
function fastUserAgent() {
  try {
    const os = platform();
    if (os === 'linux' && mightBeWsl()) return undefined;
    const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    if (typeof pjson.name !== 'string') return undefined;
    const cpu = arch() === 'ia32' ? 'x86' : arch();
    return `${pjson.name}/${pjson.version || '0.0.0'} ${os}-${cpu} node-${process.version}`;
  } catch {
    return undefined;
  }
}

/** The checks of is-wsl (which oclif asks), without its container exception: when in doubt, oclif. */
function mightBeWsl() {
  if (process.env.__IS_WSL_TEST__) return true;
  if (release().toLowerCase().includes('microsoft')) return true;
  try {
    if (readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')) return true;
  } catch {
    // no /proc/version: is-wsl goes on to the paths below
  }
  return existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL');
}
