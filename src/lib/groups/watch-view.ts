import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../positions/index.js';
import { type Cell, renderTable } from '../render/table.js';
import type { Trend, WatchPartition, WatchView } from './watch.js';

/* How `group watch` shows a view: a redrawn table on a terminal, plain lines otherwise. */

export function formatRate(r: number | null): string {
  return r === null ? '-' : `${r >= 100 ? Math.round(r) : Number(r.toFixed(1))}/s`;
}

/** ETA rounded up to whole seconds; "—" when the group is not catching up. */
export function formatEta(ms: number | null): string {
  if (ms === null) return '—';
  return ms === 0 ? '0s' : formatDuration(Math.ceil(ms / 1000) * 1000);
}

const arrows: Record<Trend, string> = {
  'catching-up': '↓ catching up',
  'falling-behind': '↑ falling behind',
  steady: '= steady',
  'caught-up': '✓ caught up',
  unknown: '…',
};

function paint(c: ChalkInstance, trend: Trend, text: string): string {
  if (trend === 'falling-behind') return c.red(text);
  if (trend === 'catching-up') return c.green(text);
  if (trend === 'caught-up') return c.dim(text);
  return text;
}

function lagText(p: { lag: number | null; committed: number | null }): string {
  return p.committed === null ? 'none committed' : String(p.lag);
}

/** The terminal view: a header line and one table, coloured by trend. */
export function watchScreen(group: string, view: WatchView, c: ChalkInstance, intervalMs: number): string {
  const t = view.total;
  const head =
    `${c.bold(group)}  ${view.state}, ${view.members} member(s)  ${new Date(view.at).toISOString()}  ` +
    c.dim(`every ${formatDuration(intervalMs)}, Ctrl-C to stop`);
  const rows: Cell[][] = view.partitions.map((p: WatchPartition) => [
    p.topic,
    p.partition,
    p.committed ?? '-',
    p.logEnd,
    paint(c, p.trend, lagText(p)),
    formatRate(p.consumeRate),
    formatRate(p.arrivalRate),
    paint(c, p.trend, arrows[p.trend]),
    formatEta(p.etaMs),
  ]);
  rows.push([
    c.bold('total'),
    '',
    '',
    '',
    paint(c, t.trend, c.bold(String(t.lag))),
    formatRate(t.consumeRate),
    formatRate(t.arrivalRate),
    paint(c, t.trend, arrows[t.trend]),
    formatEta(t.etaMs),
  ]);
  return (
    head +
    '\n' +
    renderTable(
      ['topic', 'partition', 'committed', 'log end', 'lag', 'consume', 'arrival', 'trend', 'eta'],
      rows,
    )
  );
}

/** Plain lines for logs and pipes: one per partition and a total, key=value, no colour. */
export function watchLines(group: string, view: WatchView): string[] {
  const at = new Date(view.at).toISOString();
  const line = (
    what: string,
    p: {
      lag: number | null;
      consumeRate: number | null;
      arrivalRate: number | null;
      trend: Trend;
      etaMs: number | null;
    },
    extra: string,
  ) =>
    `${at} ${group} ${what}${extra} lag=${p.lag ?? 'none'} consume=${formatRate(p.consumeRate)} ` +
    `arrival=${formatRate(p.arrivalRate)} trend=${p.trend} eta=${p.etaMs === null ? '-' : formatEta(p.etaMs)}`;
  const out = view.partitions.map((p) =>
    line(`${p.topic}/${p.partition}`, p, ` committed=${p.committed ?? 'none'} end=${p.logEnd}`),
  );
  out.push(line('total', view.total, ` state=${view.state} members=${view.members}`));
  return out;
}
