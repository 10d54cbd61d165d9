/**
 * Replay throughput: N sourcing events (checkout + delivery) from the embedded broker into the
 * event-sourcing SQLite projection, with where the time goes: fetch (waiting for the broker),
 * decode (headers + JSON), apply (the SQL of each event), commit (checkpoint + COMMIT).
 *
 *   npm run build && node bench/replay.mjs [count] [--brokers host:port] [--single-thread]
 *
 * It runs the compiled code (dist/), as the CLI does: the writer thread exists only there.
 *
 * Starts its own embedded broker (dist/lib/broker/bin.js) in a temp dir unless --brokers is
 * given. Publishing is not timed. Prints wall-clock and CPU-time rates: on a shared machine the
 * CPU-time rate is the steadier figure.
 */
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KafkaSession } from '../dist/lib/kafka/client.js';
import { ensureTopics, generatePrefixed, sendRecords } from '../dist/lib/projections/publish-data.js';
import { replay } from '../dist/lib/projections/runtime.js';
import { sourcing } from '../dist/lib/projections/sourcing/index.js';

const count = Number(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 1_000_000);
const bi = process.argv.indexOf('--brokers');
let brokers = bi > 0 ? process.argv[bi + 1] : undefined;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** @returns {Promise<{ child: import('node:child_process').ChildProcess; address: string }>} */
async function startBroker(dir) {
  const child = spawn(
    process.execPath,
    [join(process.cwd(), 'dist/lib/broker/bin.js'), '--port', '0', '--data-dir', dir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`broker exited ${c}`)));
    createInterface({ input: child.stdout }).on('line', (l) => {
      try {
        const ev = JSON.parse(l);
        if (ev.event === 'listening' && ev.port) resolve(ev.port);
      } catch {
        /* not ours */
      }
    });
  });
  return { child, address: `127.0.0.1:${port}` };
}

const work = mkdtempSync(join(tmpdir(), 'eb-bench-replay-'));
let child;
try {
  if (!brokers) {
    const b = await startBroker(join(work, 'broker'));
    child = b.child;
    brokers = b.address;
  }
  const session = await KafkaSession.open(
    { source: 'flag', brokers: [brokers], clientId: 'bench-replay', describe: brokers },
    { connectTimeoutMs: 10_000 },
  );
  const prefix = `bench${Date.now().toString(36)}`;
  await ensureTopics(session, prefix, sourcing.domains, 'sourcing');
  const p0 = Date.now();
  const sent = await sendRecords(
    session,
    generatePrefixed(
      {
        domains: [...sourcing.domains],
        seed: 'bench-replay',
        count,
        shape: 'sourcing',
        startTime: Date.now() - 6 * 24 * 3600_000,
        ratePerSec: 10,
      },
      prefix,
    ),
  );
  console.log(
    `published ${fmt(sent.count)} events (${fmt(sent.bytes)} bytes) in ${((Date.now() - p0) / 1000).toFixed(1)} s (not timed below)`,
  );

  // Let the publish settle: the kernel writes back the ~150 MB just appended (dirty pages) and
  // the broker finishes its own flushes, so the replay below is measured alone.
  execSync('sync');
  await new Promise((r) => setTimeout(r, 1000));

  const timings = { fetchMs: 0, decodeMs: 0, applyMs: 0, commitMs: 0 };
  const cpu0 = process.cpuUsage();
  const writerThread = !process.argv.includes('--single-thread');
  const r = await replay(session, sourcing, {
    dbPath: join(work, 'bench.db'),
    prefix,
    timings,
    writerThread,
  });
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const wall = r.elapsedMs / 1000;
  console.log(
    `replayed ${fmt(r.applied)} events into SQLite (${writerThread ? 'writer thread' : 'one thread'}) in ${wall.toFixed(2)} s: ${fmt(r.applied / wall)} events/s wall, ${fmt(r.applied / cpuS)} events/s of CPU time`,
  );
  const total = timings.fetchMs + timings.decodeMs + timings.applyMs + timings.commitMs;
  const line = (name, v, note = '') =>
    console.log(
      `  ${name.padEnd(7)} ${(v / 1000).toFixed(2).padStart(7)} s  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${((v * 1000) / r.applied).toFixed(2)} µs/event${note}`,
    );
  console.log('  replay thread:');
  line('fetch', timings.fetchMs);
  line('decode', timings.decodeMs);
  line('apply', timings.applyMs);
  line('commit', timings.commitMs, writerThread ? '  (hand-over and waits for the writer)' : '');
  console.log(`  other   ${((r.elapsedMs - total) / 1000).toFixed(2).padStart(7)} s  (open, bounds, setup)`);
  if (timings.writerMs !== undefined)
    console.log(
      `  writer thread, alongside: ${(timings.writerMs / 1000).toFixed(2)} s writing rows and COMMIT (${((timings.writerMs * 1000) / r.applied).toFixed(2)} µs/event)`,
    );
  await session.close();
} finally {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
}
