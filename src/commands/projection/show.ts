import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { usageError } from '../../lib/cli/errors.js';
import { dbFlag, dbPathFor } from '../../lib/projections/flags.js';
import {
  type ShowResult,
  showRows,
  type TableOverview,
  tablesOverview,
} from '../../lib/projections/inspect.js';
import { findProjection } from '../../lib/projections/registry.js';
import { output } from '../../lib/render/output.js';
import { type Cell, renderTable } from '../../lib/render/table.js';

export type ProjectionShowResult = ShowResult | { projection: string; db: string; tables: TableOverview[] };

export default class ProjectionShow extends BaseCommand<ProjectionShowResult> {
  static override summary = 'Query a projection with read-only SQL.';
  static override description = `Without --table or --sql, lists the projection's tables and row counts.
The database is opened read-only and only a single SELECT (or WITH ... SELECT) is accepted: anything
that would write is refused (exit 2). The file is plain SQLite: \`sqlite3 <db>\` works too.`;
  static override examples = [
    '<%= config.bin %> projection show sourcing',
    '<%= config.bin %> projection show sourcing --table orders --limit 5',
    `<%= config.bin %> projection show sourcing --sql "SELECT status, COUNT(*) AS n FROM orders GROUP BY status"`,
  ];
  static override args = {
    name: Args.string({ required: true, description: 'Projection name (see `projection list`)' }),
  };
  static override flags = {
    db: dbFlag,
    table: Flags.string({ char: 't', summary: 'Show the rows of this table.' }),
    sql: Flags.string({ summary: 'Run this SELECT.' }),
    limit: Flags.integer({ char: 'n', summary: 'Show at most this many rows.', default: 50, min: 1 }),
  };

  async run(): Promise<ProjectionShowResult> {
    const { args, flags } = await this.parse(ProjectionShow);
    const def = findProjection(args.name);
    const dbPath = dbPathFor(def.name, flags.db);
    const out = output();
    if (flags.table && flags.sql) throw usageError('give --table or --sql, not both');
    if (!flags.table && flags.sql === undefined) {
      const tables = tablesOverview(def, dbPath);
      if (!this.jsonEnabled())
        out.line(
          renderTable(
            ['TABLE', 'ROWS', 'DESCRIPTION'],
            tables.map((t) => [t.name, t.rows, t.description]),
          ),
        );
      return { projection: def.name, db: dbPath, tables };
    }
    const r = showRows(def, dbPath, { table: flags.table, sql: flags.sql, limit: flags.limit });
    if (!this.jsonEnabled()) {
      out.line(
        renderTable(
          r.columns,
          r.rows.map((row) => r.columns.map((c) => row[c] as Cell)),
        ),
      );
      if (r.truncated) out.info(`(first ${flags.limit} rows; --limit shows more)`);
    }
    return r;
  }
}
