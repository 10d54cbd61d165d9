import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openLogStore, type LogStoreOptions } from '../../../../src/lib/broker/log/index.js';
import type { LogStore } from '../../../../src/lib/broker/log/types.js';
import { KafkaError } from '../../../../src/lib/broker/log/types.js';
import {
  buildRecordBatch,
  decodeRecords,
  type BuildBatchOptions,
} from '../../../../src/lib/broker/protocol/record-batch.js';

const dirs: string[] = [];
const stores: LogStore[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'eb-log-'));
  dirs.push(d);
  return d;
}

/** Opens a store that the test's afterEach closes (closing twice is harmless). */
export async function open(dataDir: string, o: Omit<LogStoreOptions, 'dataDir'> = {}): Promise<LogStore> {
  const s = await openLogStore({ dataDir, ...o });
  stores.push(s);
  return s;
}

/** A batch of `n` records with values "<tag>-<i>" and timestamps ts, ts+1, ... (or given deltas). */
export function batch(n: number, ts: number, tag = 'r', extra: Partial<BuildBatchOptions> = {}): Buffer {
  return buildRecordBatch({
    timestamp: ts,
    records: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}`, timestampDelta: i })),
    ...extra,
  });
}

/** All records in `buf` (whole batches) as [offset, value] pairs. */
export function values(buf: Buffer): [number, string][] {
  const out: [number, string][] = [];
  let pos = 0;
  while (pos < buf.length) {
    for (const r of decodeRecords(buf, pos)) out.push([Number(r.offset), r.value?.toString() ?? 'null']);
    pos += buf.readInt32BE(pos + 8) + 12;
  }
  return out;
}

/** Reads a whole partition from `from` to the end, batch by batch. */
export function readAll(s: LogStore, topic: string, p: number, from = 0n): [number, string][] {
  const out: [number, string][] = [];
  let offset = from;
  const end = s.logEndOffset(topic, p);
  while (offset < end) {
    const r = s.read(topic, p, offset, 64 * 1024);
    const vs = values(r.records).filter(([o]) => o >= Number(offset));
    if (vs.length === 0) throw new Error(`read at ${offset} returned nothing before end ${end}`);
    out.push(...vs);
    offset = BigInt(vs[vs.length - 1]![0] + 1);
  }
  return out;
}

/** The KafkaError code `fn` throws (or rejects with), or 'no error'. */
export async function codeOf(fn: () => unknown): Promise<number | string> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof KafkaError) return err.code;
    throw err;
  }
  return 'no error';
}
