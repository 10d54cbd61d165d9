import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { usageError } from '../../lib/cli/errors.js';
import { prefixFlag, timeOrPosition } from '../../lib/projections/flags.js';
import { diffAt, diffFiles, type DiffAtResult } from '../../lib/projections/point-in-time.js';
import { findProjection } from '../../lib/projections/registry.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export type ProjectionDiffResult = DiffAtResult;

export default class ProjectionDiff extends BaseCommand<ProjectionDiffResult> {
  static override summary =
    'Row-level diff of a projection between two points in time, or two database files.';
  static override description = `With --at T1 --at T2 the projection is replayed twice into scratch databases, up to each
moment (a time such as 2026-11-20T12:00Z, @-1h, or a position), and the two are compared:
rows added, rows removed, and changed rows with the columns that differ.
With --db A --db B two existing database files are compared (no broker needed).`;
  static override examples = [
    '<%= config.bin %> projection diff sourcing --at 2026-11-20T12:00Z --at 2026-11-20T12:05Z',
    '<%= config.bin %> projection diff sourcing --db before.db --db after.db --json',
  ];
  static override args = {
    name: Args.string({ required: true, description: 'Projection name (see `projection list`)' }),
  };
  static override flags = {
    ...targetFlags,
    at: Flags.string({ summary: 'A point in time (give it twice).', multiple: true }),
    db: Flags.string({ summary: 'A database file (give it twice).', multiple: true }),
    prefix: prefixFlag,
    limit: Flags.integer({
      char: 'n',
      summary: 'Print at most this many changed rows.',
      default: 50,
      min: 1,
    }),
  };

  async run(): Promise<ProjectionDiffResult> {
    const { args, flags } = await this.parse(ProjectionDiff);
    const def = findProjection(args.name);
    const at = flags.at ?? [];
    const dbs = flags.db ?? [];
    let r: DiffAtResult;
    if (at.length === 2 && dbs.length === 0) {
      const [a, b] = at as [string, string];
      r = await diffAt(
        await this.session(flags),
        def,
        [
          { text: a, pos: timeOrPosition(a, '--at') },
          { text: b, pos: timeOrPosition(b, '--at') },
        ],
        flags.prefix,
      );
    } else if (dbs.length === 2 && at.length === 0) {
      r = diffFiles(def, dbs[0]!, dbs[1]!);
    } else {
      throw usageError(
        'give two --at times, or two --db files',
        'e.g. --at 2026-11-20T12:00Z --at 2026-11-20T12:05Z',
      );
    }
    if (!this.jsonEnabled()) {
      const out = output();
      out.line(
        renderTable(
          ['TABLE', 'ADDED', 'REMOVED', 'CHANGED'],
          r.tables.map((t) => [t.table, t.added, t.removed, t.changed]),
          { title: `${def.name}: ${r.before} → ${r.after}` },
        ),
      );
      for (const d of r.rows.slice(0, flags.limit)) {
        const k = Object.values(d.key).join('/');
        if (d.kind === 'changed')
          out.line(
            `~ ${d.table} ${k}: ${(d.changes ?? []).map((c) => `${c.column} ${String(c.before)} → ${String(c.after)}`).join(', ')}`,
          );
        else out.line(`${d.kind === 'added' ? '+' : '-'} ${d.table} ${k}`);
      }
      if (r.rows.length > flags.limit)
        out.info(`(${r.rows.length - flags.limit} more; --limit or --json shows them)`);
    }
    return r;
  }
}
