import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import { output } from './output.js';

/**
 * cli-table3 (CommonJS, with its string-width dependencies) is loaded on the first boxed table:
 * output to a pipe never needs it, and a command that prints one table at its end should not pay
 * for it at start-up.
 */
let Table: typeof TableType | undefined;
function table(): typeof TableType {
  Table ??= createRequire(import.meta.url)('cli-table3') as typeof TableType;
  return Table;
}

export type Cell = string | number | bigint | boolean | null | undefined;

/** A plain table: boxed on a terminal, whitespace-aligned columns otherwise (easy to grep/awk). */
export function renderTable(head: string[], rows: Cell[][], opts: { title?: string } = {}): string {
  const out = output();
  const text = rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))));
  if (!out.stdoutIsTTY) {
    const widths = head.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
    const fmt = (r: string[]) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd();
    return [...(opts.title ? [opts.title] : []), fmt(head), ...text.map(fmt)].join('\n');
  }
  const t = new (table())({ head: head.map((h) => out.color.bold(h)), style: { head: [], border: [] } });
  for (const r of text) t.push(r);
  return (opts.title ? out.color.bold(opts.title) + '\n' : '') + t.toString();
}
