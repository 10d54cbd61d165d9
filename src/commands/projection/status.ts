import { Args } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { dbFlag, dbPathFor } from '../../lib/projections/flags.js';
import { projectionStatus, type ProjectionStatus } from '../../lib/projections/inspect.js';
import { findProjection } from '../../lib/projections/registry.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export type ProjectionStatusResult = ProjectionStatus;

export default class ProjectionStatusCommand extends BaseCommand<ProjectionStatusResult> {
  static override summary =
    'Checkpointed offsets versus the log end, lag, events applied and held-back side effects.';
  static override description = `The checkpoint is the next offset the projection will apply, stored in its database in
the same transaction as the state. Lag is the log end minus the checkpoint, per partition.`;
  static override examples = [
    '<%= config.bin %> projection status sourcing',
    '<%= config.bin %> projection status notification --db ./mailer.db --json',
  ];
  static override args = {
    name: Args.string({ required: true, description: 'Projection name (see `projection list`)' }),
  };
  static override flags = { ...targetFlags, db: dbFlag };

  async run(): Promise<ProjectionStatusResult> {
    const { args, flags } = await this.parse(ProjectionStatusCommand);
    const def = findProjection(args.name);
    const dbPath = dbPathFor(def.name, flags.db);
    const s = await projectionStatus(await this.session(flags), def, dbPath);
    if (!this.jsonEnabled()) {
      const out = output();
      out.line(`${out.color.bold(s.projection)} (${s.pattern}) in ${s.db}`);
      out.line(
        renderTable(
          ['TOPIC', 'PARTITION', 'CHECKPOINT', 'LOG END', 'LAG'],
          s.partitions.map((p) => [p.topic, p.partition, p.checkpoint, p.logEnd, p.lag]),
        ),
      );
      out.line(`applied ${s.applied.toLocaleString('en-US')} events; lag ${s.lag.toLocaleString('en-US')}`);
      for (const [t, n] of Object.entries(s.skipped)) out.line(`skipped (unknown type) ${t}: ${n}`);
      for (const [k, n] of Object.entries(s.heldBack)) out.line(`held back while replaying: ${n} ${k}`);
      for (const [k, n] of Object.entries(s.outbox)) out.line(`recorded live in eb_outbox: ${n} ${k}`);
      if (s.callbacks) out.line(`callbacks to the source: ${s.callbacks} (${s.callbackMisses} unanswered)`);
      if (s.duplicatedBytes !== null)
        out.line(`duplicated data stored: ${s.duplicatedBytes.toLocaleString('en-US')} bytes`);
      out.line(`tables: ${s.tables.map((t) => `${t.name} (${t.rows})`).join(', ')}`);
    }
    return s;
  }
}
