// What the peer tests share: where Kafka's tools come from, whether kcat and Java are here, and an
// asynchronous spawn (the broker under test runs in the test's own process, so a blocking spawn
// would starve it).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const kafkaSh = fileURLToPath(new URL('../../../../scripts/kafka.sh', import.meta.url));

// On a laptop without kcat or Java these peers are skipped; in CI (.ci/run installs both) they
// always run, so a missing tool fails the run instead of hiding.
const inCI = process.env.CI === 'true';
export const hasKcat = inCI || spawnSync('kcat', ['-V']).status === 0;
export const hasJava = inCI || spawnSync(kafkaSh, ['classpath'], { stdio: 'ignore' }).status === 0;

export function exec(
  cmd: string,
  args: string[],
  input = '',
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end(input);
  });
}
