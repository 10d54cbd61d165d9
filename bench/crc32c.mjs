/**
 * CRC-32C throughput: the JS slicing-by-8 path (crc32cJs) against the WebAssembly slicing-by-16
 * path (crc32cWasm), and the default crc32c that picks between them by length.
 *
 *   npx tsc -p tsconfig.build.json --outDir /tmp/eb-dist && node bench/crc32c.mjs /tmp/eb-dist [runs]
 *
 * The first argument is the compiled output directory (default dist). Three measurements:
 *   - 1 MiB buffers, checksummed back to back;
 *   - 110 MB as 100 batches of 1.1 MB, about what `eventbench produce` of 1,000,000 ~100-byte
 *     records checksums (batches of 10,000 records);
 *   - the crossover: ns per call for short inputs, where the copy into WASM memory and the call
 *     may cost more than the faster loop saves. WASM_MIN_BYTES in crc32c.ts comes from this.
 * Each is repeated (runs, default 5) because the machine's speed varies from run to run; the best
 * and median are printed.
 */
import { randomFillSync } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const dist = resolve(process.argv[2] ?? 'dist');
const runs = Number(process.argv[3] ?? 5);
const { crc32c, crc32cJs, crc32cWasm } = await import(
  pathToFileURL(resolve(dist, 'lib/kafka/wire/crc32c.js')).href
);
if (!crc32cWasm) throw new Error('WebAssembly is unavailable in this runtime');

const impls = { js: crc32cJs, wasm: crc32cWasm, default: crc32c };

/** Seconds for `rounds` passes of fn over every buffer in bufs; the sink keeps the work alive. */
let sink = 0;
function time(fn, bufs, rounds) {
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const b of bufs) sink ^= fn(b);
  return (performance.now() - t0) / 1000;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { best: s[s.length - 1], median: s[Math.floor(s.length / 2)] };
}

function throughput(label, bufs, rounds) {
  const bytes = bufs.reduce((n, b) => n + b.length, 0) * rounds;
  // The results must agree before any of them is worth timing.
  for (const b of bufs.slice(0, 3)) {
    const want = crc32cJs(b);
    for (const [name, fn] of Object.entries(impls)) {
      if (fn(b) !== want) throw new Error(`${name}: got ${fn(b)}, want ${want}`);
    }
  }
  console.log(`\n${label}  (GB/s, ${runs} runs)`);
  const rates = {};
  for (const [name, fn] of Object.entries(impls)) {
    time(fn, bufs, 1); // warm-up: lets V8 tier the code up before it is timed
    const gbs = [];
    for (let i = 0; i < runs; i++) gbs.push(bytes / time(fn, bufs, rounds) / 1e9);
    rates[name] = stats(gbs);
    console.log(
      `  ${name.padEnd(8)} best ${rates[name].best.toFixed(2)}  median ${rates[name].median.toFixed(2)}` +
        `  runs ${gbs.map((g) => g.toFixed(2)).join(' ')}`,
    );
  }
  console.log(`  wasm / js (median): ${(rates.wasm.median / rates.js.median).toFixed(2)}x`);
}

function buffers(count, size) {
  // One backing buffer with odd offsets, as batches inside a larger allocation would be.
  const backing = randomFillSync(Buffer.allocUnsafe(count * (size + 3)));
  return Array.from({ length: count }, (_, i) =>
    backing.subarray(i * (size + 3) + 1, i * (size + 3) + 1 + size),
  );
}

throughput('1 MiB buffers', buffers(16, 1 << 20), 8);
throughput('110 MB as 100 batches of 1.1 MB', buffers(100, 1_100_000), 1);

console.log('\ncrossover  (ns per call, median of runs)');
console.log('  bytes      js    wasm');
for (const size of [1, 4, 8, 12, 16, 24, 32, 64, 96, 128, 192, 256, 384, 512, 1024, 4096]) {
  const bufs = buffers(256, size);
  const calls = Math.max(1, Math.round(2_000_000 / size));
  const ns = {};
  for (const name of ['js', 'wasm']) {
    const fn = impls[name];
    time(fn, bufs, 50);
    const xs = [];
    for (let i = 0; i < runs; i++)
      xs.push((time(fn, bufs, calls / 256 + 1) * 1e9) / (bufs.length * (calls / 256 + 1)));
    ns[name] = xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  }
  console.log(
    `  ${String(size).padStart(5)} ${ns.js.toFixed(0).padStart(7)} ${ns.wasm.toFixed(0).padStart(7)}`,
  );
}
if (sink === 0.5) console.log(sink);
