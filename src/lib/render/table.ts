import Table from 'cli-table3';
import { output } from './output.js';

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
  const t = new Table({ head: head.map((h) => out.color.bold(h)), style: { head: [], border: [] } });
  for (const r of text) t.push(r);
  return (opts.title ? out.color.bold(opts.title) + '\n' : '') + t.toString();
}
