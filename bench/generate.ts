/**
 * Generation alone: events per second for 1,000,000 records of all five domains, per shape.
 *
 *   npx tsx bench/generate.ts [count] [shapes] [ratePerSec]
 *
 * No Kafka; this bounds what `publish` can reach. Prints wall-clock and CPU-time rates: on a
 * shared machine the CPU-time rate is the steadier figure.
 */
import { generateRecords } from '../src/lib/events/index.js';

const count = Number(process.argv[2] ?? 1_000_000);
const shapes = (process.argv[3] ?? 'sourcing,state,notification').split(',');
const ratePerSec = Number(process.argv[4] ?? 10);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
for (const shape of shapes) {
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let n = 0;
  let bytes = 0;
  for (const r of generateRecords({
    domains: ['all'],
    seed: 'bench',
    shape,
    count,
    startTime: Date.UTC(2025, 0, 1),
    ratePerSec,
  })) {
    n++;
    bytes += r.value.length;
  }
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuUsed = process.cpuUsage(cpu0);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  const heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  console.log(
    `${shape.padEnd(12)} ${fmt(n)} events: ${fmt(n / wall)} events/s wall (${wall.toFixed(2)} s), ` +
      `${fmt(n / cpu)} events/s of CPU time; ${Math.round(bytes / n)} value bytes/event, heap ${heapMb} MB`,
  );
}
