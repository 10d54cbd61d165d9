import { BaseCommand } from '../../lib/cli/base-command.js';
import { listProjections, type ProjectionListEntry } from '../../lib/projections/inspect.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export interface ProjectionListResult {
  projections: ProjectionListEntry[];
}

export default class ProjectionList extends BaseCommand<ProjectionListResult> {
  static override summary =
    'List the projections: one per event-driven pattern, and where their databases are.';
  static override description = `Each projection reads one shape of the same events and shows one pattern:
  sourcing          event sourcing: aggregates rebuilt from fine-grained events; rebuild at any time T
  sourcing-legacy   the same, written before terms-agreed existed: skips and counts the new type
  state-transfer    event-carried state transfer: a local replica from fat events, zero callbacks
  notification      event notification: thin events, every detail fetched from the source (counted)
Build one with \`eventbench replay <name>\`. No broker is needed to list.`;
  static override examples = [
    '<%= config.bin %> projection list',
    '<%= config.bin %> projection list --json',
  ];

  async run(): Promise<ProjectionListResult> {
    await this.parse(ProjectionList);
    const projections = listProjections();
    if (!this.jsonEnabled())
      output().line(
        renderTable(
          ['NAME', 'PATTERN', 'TOPICS', 'APPLIED', 'SUMMARY'],
          projections.map((p) => [
            p.name,
            p.pattern,
            p.topics.join(', '),
            p.exists ? p.applied : 'not built',
            p.summary,
          ]),
        ),
      );
    return { projections };
  }
}
