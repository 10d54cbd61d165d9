import { output } from '../render/output.js';
import { renderTable } from '../render/table.js';
import type { ReplayResult, StepInfo } from './runtime.js';

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** The human summary of a replay: what was applied, skipped, held back or recorded, and the lag. */
export function renderReplay(r: ReplayResult): string {
  const out = output();
  const lines: string[] = [];
  const how = r.resumed ? 'resumed from its checkpoint' : 'from the start';
  lines.push(
    `${out.color.bold(r.projection)} (${r.pattern}) ${how}: applied ${plural(r.applied, 'event')} in ${(r.elapsedMs / 1000).toFixed(1)} s (${r.eventsPerSec.toLocaleString('en-US')}/s) into ${r.db}`,
  );
  for (const [type, n] of Object.entries(r.skipped))
    lines.push(`  skipped ${plural(n, 'event')} of a type this projector does not know: ${type}`);
  for (const [kind, n] of Object.entries(r.heldBack))
    lines.push(`  replaying: would have performed ${plural(n, kind)} (held back, not repeated)`);
  for (const [kind, n] of Object.entries(r.outbox))
    lines.push(`  live: recorded ${plural(n, kind)} in eb_outbox`);
  if (r.callbacks)
    lines.push(
      `  called the source back ${plural(r.callbacks, 'time')}${r.callbackMisses ? `, ${r.callbackMisses} without an answer` : ''}`,
    );
  lines.push(`  stopped at ${r.stoppedBy}; lag ${r.lag.toLocaleString('en-US')}`);
  return lines.join('\n');
}

export function renderStep(s: StepInfo): string {
  const out = output();
  const head = `${out.color.bold(s.type)} ${s.record.topic}/${s.record.partition}@${s.record.offset} key ${s.record.key?.toString('utf8') ?? '-'}`;
  const tables = s.rows.map((t) => {
    const cols = Object.keys(t.rows[0] ?? {});
    return cols.length
      ? renderTable(
          cols,
          t.rows.map((r) => cols.map((c) => r[c] as string | number | null)),
          { title: t.table },
        )
      : `${t.table}: (no rows)`;
  });
  return [head, ...tables].join('\n');
}
