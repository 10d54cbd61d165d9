import { usageError } from '../cli/errors.js';
import type { RecordData } from './jsonl.js';

export type HeaderMap = Record<string, Buffer | null | (Buffer | null)[]>;

/** --header k=v flags → headers (a repeated name keeps every value, in order). */
export function parseHeaderFlags(pairs: string[] | undefined): HeaderMap {
  const out: HeaderMap = {};
  for (const p of pairs ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw usageError(`--header "${p}" is not k=v`, 'e.g. --header source=import');
    const k = p.slice(0, i);
    const v = Buffer.from(p.slice(i + 1));
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export interface FilterSpec {
  key?: string;
  headers?: string[];
  grep?: string;
  where?: string[];
}

export type RecordPredicate = (r: RecordData) => boolean;

/**
 * Filters applied before rendering, all of which must hold:
 *  --key K        the key equals K
 *  --header k=v   some value of header k equals v
 *  --grep RE      the key or value (as UTF-8 text) matches the regular expression
 *  --where p=v    the value parses as JSON and the dotted path p (a.b.0.c) equals v
 *                 (compared as text: 42, true and null match their JSON spelling)
 */
export function buildFilter(spec: FilterSpec): RecordPredicate | undefined {
  const tests: RecordPredicate[] = [];
  if (spec.key !== undefined) {
    const want = Buffer.from(spec.key);
    tests.push((r) => r.key !== null && r.key.equals(want));
  }
  for (const h of spec.headers ?? []) {
    const i = h.indexOf('=');
    if (i <= 0) throw usageError(`--header "${h}" is not k=v`, 'e.g. --header ce_type=checkout.order-placed');
    const name = h.slice(0, i);
    const want = Buffer.from(h.slice(i + 1));
    tests.push((r) => {
      const v = r.headers[name];
      const list = Array.isArray(v) ? v : [v];
      return list.some((x) => x instanceof Buffer && x.equals(want));
    });
  }
  if (spec.grep !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(spec.grep);
    } catch (err) {
      throw usageError(
        `--grep: ${(err as Error).message}`,
        'give a JavaScript regular expression, e.g. --grep "status.:.failed"',
      );
    }
    tests.push(
      (r) =>
        (r.value !== null && re.test(r.value.toString('utf8'))) ||
        (r.key !== null && re.test(r.key.toString('utf8'))),
    );
  }
  for (const w of spec.where ?? []) {
    const i = w.indexOf('=');
    if (i <= 0)
      throw usageError(
        `--where "${w}" is not path=value`,
        'e.g. --where customer.country=NL or --where items.0.sku=P-1',
      );
    const path = w.slice(0, i).split('.');
    const want = w.slice(i + 1);
    tests.push((r) => {
      if (r.value === null) return false;
      let v: unknown;
      try {
        v = JSON.parse(r.value.toString('utf8'));
      } catch {
        return false;
      }
      for (const p of path) {
        if (v === null || typeof v !== 'object') return false;
        v = (v as Record<string, unknown>)[p];
      }
      if (v === undefined) return false;
      return (typeof v === 'string' ? v : JSON.stringify(v)) === want;
    });
  }
  if (tests.length === 0) return undefined;
  return (r) => tests.every((t) => t(r));
}
