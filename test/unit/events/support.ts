import { createHash } from 'node:crypto';
import {
  generateRecords,
  type GenerateOptions,
  type GeneratedRecord,
} from '../../../src/lib/events/index.js';
import { toJsonl } from '../../../src/lib/records/jsonl.js';

export const START = Date.UTC(2025, 0, 1);

export function gen(o: Partial<GenerateOptions> = {}): GeneratedRecord[] {
  return [...generateRecords({ domains: ['all'], seed: 'test', startTime: START, ...o })];
}

export function lines(records: readonly GeneratedRecord[]): string[] {
  return records.map(toJsonl);
}

export function sha256(records: Iterable<GeneratedRecord>): string {
  const h = createHash('sha256');
  for (const r of records) h.update(toJsonl(r) + '\n');
  return h.digest('hex');
}

export function header(r: GeneratedRecord, name: string): string | undefined {
  return r.headers[name]?.toString('utf8');
}

export function value(r: GeneratedRecord): Record<string, unknown> {
  return JSON.parse(r.value.toString('utf8')) as Record<string, unknown>;
}

export function groupByKey(records: readonly GeneratedRecord[]): Map<string, GeneratedRecord[]> {
  const m = new Map<string, GeneratedRecord[]>();
  for (const r of records) {
    const k = r.key.toString('utf8');
    let list = m.get(k);
    if (!list) m.set(k, (list = []));
    list.push(r);
  }
  return m;
}
