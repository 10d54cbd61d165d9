/**
 * The embedded broker's partition log on its own (no network): append throughput and
 * ListOffsets-by-timestamp latency.
 *
 *   npx tsx bench/log-append.ts [records=1000000] [bigRecords=10000000]
 *
 * 1. `records` records of 100-byte values in batches of 100, appended to one partition:
 *    acks=1 (written to the OS, periodic fsync) one append at a time, and acks=all (fsync,
 *    group commit) with 16 appends in flight.
 * 2. A partition of `bigRecords` records (batches of 1000 small records, one millisecond apart),
 *    then offsetForTimestamp for 1000 random timestamps, before and after a restart.
 * Data goes to a temp directory that is removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogStore } from '../src/lib/broker/log/index.js';
import { buildRecordBatch } from '../src/lib/broker/protocol/record-batch.js';

const records = Number(process.argv[2] ?? 1_000_000);
const bigRecords = Number(process.argv[3] ?? 10_000_000);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const dir = mkdtempSync(join(tmpdir(), 'eb-bench-log-'));

function batches(count: number, perBatch: number, valueBytes: number, t0: number): Buffer[] {
  const out: Buffer[] = [];
  for (let b = 0; b < count; b++) {
    out.push(
      buildRecordBatch({
        timestamp: t0 + b * perBatch,
        records: Array.from({ length: perBatch }, (_, i) => ({
          value: Buffer.alloc(valueBytes, 97 + ((b + i) % 26)),
          timestampDelta: i,
        })),
      }),
    );
  }
  return out;
}

function report(label: string, n: number, appends: number, ms: number, cpuMs: number): void {
  console.log(
    `${label.padEnd(34)} ${fmt((appends / ms) * 1000).padStart(9)} appends/s ${fmt((n / ms) * 1000).padStart(11)} records/s` +
      `  (${(ms / 1000).toFixed(2)} s wall, ${fmt((n / cpuMs) * 1000)} records/s per CPU-second)`,
  );
}

async function appendBench(durability: 'none' | 'fsync', inFlight: number): Promise<void> {
  const store = await openLogStore({ dataDir: join(dir, `append-${durability}`) });
  store.createTopic('bench', 1, {});
  const pool = batches(100, 100, 100, Date.now());
  const total = Math.ceil(records / 100);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < total) {
      const i = next++;
      await store.append('bench', 0, pool[i % pool.length]!, durability);
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  await store.flush();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const label = `append acks=${durability === 'fsync' ? 'all' : '1'}, ${inFlight} in flight`;
  report(label, total * 100, total, ms, (cpu.user + cpu.system) / 1000);
  await store.close();
}

async function timestampBench(): Promise<void> {
  const dataDir = join(dir, 'big');
  let store = await openLogStore({ dataDir });
  store.createTopic('big', 1, { 'message.timestamp.after.max.ms': '9223372036854775807' });
  const perBatch = 1000;
  const t0 = 1_700_000_000_000;
  const count = Math.ceil(bigRecords / perBatch);
  const started = performance.now();
  // Build batches in slices to bound memory; each batch is 1000 records, 1 ms apart.
  for (let b = 0; b < count; b += 100) {
    const slice = batches(Math.min(100, count - b), perBatch, 8, t0 + b * perBatch);
    for (const buf of slice) await store.append('big', 0, buf, 'none');
  }
  await store.flush();
  const view = store.inspect('big')[0]!;
  console.log(
    `built ${fmt(Number(view.logEndOffset))} records, ${view.segments.length} segments, ${fmt(view.bytes / 1e6)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const queries = Array.from({ length: 1000 }, (_, i) =>
    BigInt(t0 + Math.floor((((i * 7919) % 1000) / 1000) * count * perBatch)),
  );
  const measure = (label: string) => {
    const times: number[] = [];
    for (const ts of queries) {
      const a = performance.now();
      const hit = store.offsetForTimestamp('big', 0, ts);
      times.push(performance.now() - a);
      if (!hit || hit.timestamp !== ts)
        throw new Error(`wrong answer for ${ts}: ${JSON.stringify(hit?.offset)}`);
    }
    times.sort((x, y) => x - y);
    const mean = times.reduce((x, y) => x + y, 0) / times.length;
    console.log(
      `offsetForTimestamp ${label.padEnd(16)} mean ${mean.toFixed(3)} ms, p50 ${times[500]!.toFixed(3)} ms, p99 ${times[990]!.toFixed(3)} ms, max ${times[999]!.toFixed(3)} ms`,
    );
  };
  measure('(warm)');
  await store.close();
  const reopen = performance.now();
  store = await openLogStore({ dataDir });
  console.log(`reopen after clean shutdown: ${(performance.now() - reopen).toFixed(1)} ms`);
  measure('(after reopen)');
  await store.close();
  // Unclean restart: without the marker the tail segment is CRC-checked and re-indexed.
  rmSync(join(dataDir, '.clean-shutdown'));
  const crashed = performance.now();
  store = await openLogStore({ dataDir });
  console.log(
    `reopen after a crash (tail segment recovered): ${(performance.now() - crashed).toFixed(1)} ms`,
  );
  measure('(after crash)');
  await store.close();
}

try {
  console.log(`log bench: ${fmt(records)} records of 100 bytes in batches of 100; Node ${process.version}`);
  await appendBench('none', 1);
  await appendBench('fsync', 16);
  await timestampBench();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
