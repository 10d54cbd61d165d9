import { readFileSync, writeFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { asUsageError, usageError } from '../../lib/cli/errors.js';
import {
  activeGroupError,
  executeRewind,
  planRewind,
  type RewindPlan,
  type RewindScope,
} from '../../lib/groups/rewind.js';
import {
  PlanError,
  parsePlanCsv,
  parseTopicScopes,
  planToCsv,
  type PlanRow,
} from '../../lib/groups/rewind-plan.js';
import { describePosition, parsePosition, type Position } from '../../lib/positions/index.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export interface GroupRewindResult extends RewindPlan {
  /** True when the plan was committed (--execute). */
  executed: boolean;
  /** The --to position in words, or null with --from-file. */
  position: string | null;
  /** Where --export wrote the plan. */
  exported: string | null;
}

export default class GroupRewind extends BaseCommand<GroupRewindResult> {
  static override summary =
    'Move a group’s committed offsets to a position or a plan file; previews unless --execute.';
  static override description = `--to takes the positions grammar (docs/positions.md): earliest | latest | <offset> |
@<time> | @-<duration> | a per-partition map 0=100,1=@-1h. Here +N and -N shift the group's COMMITTED
offset (like kafka-consumer-groups --shift-by): -100 re-reads the last 100 records it consumed.
A time with no record at or after it (e.g. in the future) moves to the log end, never to -1.
Without --execute nothing changes: a preview shows each partition's committed offset, target, and the
records that will be reprocessed or skipped. The group must have no active members to execute.
Offsets are committed as an admin (generation -1); no consumer joins the group.
--export and --from-file use kafka-consumer-groups' plan format: topic,partition,offset lines.`;
  static override examples = [
    '<%= config.bin %> group rewind billing --topic orders --to @-1h',
    '<%= config.bin %> group rewind billing --topic orders:0,2 --to -100 --execute',
    '<%= config.bin %> group rewind billing --all-topics --to earliest --export plan.csv',
    '<%= config.bin %> group rewind billing --from-file plan.csv --execute',
  ];
  static override args = {
    group: Args.string({ ignoreStdin: true, required: true, description: 'Consumer group id' }),
  };
  static override flags = {
    ...targetFlags,
    topic: Flags.string({
      char: 't',
      summary: 'Topic to move, or topic:0,2 for some partitions (repeatable).',
      multiple: true,
    }),
    'all-topics': Flags.boolean({ summary: 'Every topic the group has committed offsets for.' }),
    to: Flags.string({ summary: 'Target position (see above).' }),
    'from-file': Flags.string({ summary: 'Read the targets from a topic,partition,offset file.' }),
    export: Flags.string({ summary: 'Write the plan to this file (topic,partition,offset).' }),
    execute: Flags.boolean({ summary: 'Commit the plan (default: preview only).' }),
  };

  async run(): Promise<GroupRewindResult> {
    const { args, flags } = await this.parse(GroupRewind);
    const scope = scopeFrom(flags);
    const to = flags.to === undefined ? undefined : positionFlag(flags.to);
    if (scope.kind === 'file' && to)
      throw usageError('give --to or --from-file, not both', 'the file holds the targets');
    if (scope.kind !== 'file' && !to) {
      throw usageError(
        'say where to move the group with --to',
        'e.g. --to earliest, --to @-1h, --to -100 (see --help)',
      );
    }
    const session = await this.session(flags);
    const plan = await planRewind(session, { groupId: args.group, scope, to });
    // Refuse before printing a plan that cannot be applied (Kafka's tool refuses the same way).
    if (flags.execute && plan.activeMembers.length) throw activeGroupError(plan);
    const out = output();
    const json = this.jsonEnabled();
    if (!json) {
      for (const w of plan.warnings) out.warn(w);
      render(plan, flags.execute);
    }
    if (flags.export) {
      writeFileSync(flags.export, planToCsv(plan.rows));
      if (!json) out.info(`plan written to ${flags.export}`);
    }
    if (flags.execute) {
      await executeRewind(session, plan);
      if (!json)
        out.line(`committed new offsets for ${plan.rows.length} partition(s) of group ${plan.group}`);
    } else if (!json) {
      if (plan.activeMembers.length) out.warn(`${activeGroupError(plan).message}; --execute will be refused`);
      out.line('preview only: nothing committed; add --execute to apply');
    }
    return {
      ...plan,
      executed: Boolean(flags.execute),
      position: to ? describePosition(to, { relativeTo: 'committed' }) : null,
      exported: flags.export ?? null,
    };
  }
}

function positionFlag(text: string): Position {
  try {
    return parsePosition(text);
  } catch (err) {
    throw asUsageError(err, '--to');
  }
}

function scopeFrom(flags: { topic?: string[]; 'all-topics': boolean; 'from-file'?: string }): RewindScope {
  const given = [
    flags.topic?.length ? '--topic' : '',
    flags['all-topics'] ? '--all-topics' : '',
    flags['from-file'] ? '--from-file' : '',
  ].filter(Boolean);
  if (given.length === 0) {
    throw usageError(
      'say which partitions to move',
      'give --topic orders (or orders:0,2), --all-topics, or --from-file plan.csv',
    );
  }
  if (given.length > 1)
    throw usageError(`give one of ${given.join(', ')}`, 'they each choose the partitions to move');
  try {
    if (flags.topic?.length) return { kind: 'topics', topics: parseTopicScopes(flags.topic) };
    if (flags['all-topics']) return { kind: 'all-topics' };
    const file = flags['from-file']!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw usageError(
        `cannot read --from-file ${file}: ${(err as Error).message}`,
        'give the path of a plan written by --export',
      );
    }
    return { kind: 'file', entries: parsePlanCsv(text, file), file };
  } catch (err) {
    if (err instanceof PlanError) throw usageError(err.message, err.hint);
    throw err;
  }
}

function change(r: PlanRow): string {
  if (r.committed === null) return 'no commit yet';
  if (r.reprocess) return `reprocess ${r.reprocess}`;
  if (r.skip) return `skip ${r.skip}`;
  return 'no change';
}

function render(plan: RewindPlan, execute: boolean): void {
  const t = plan.totals;
  const rows = plan.rows.map((r) => [
    r.topic,
    r.partition,
    r.committed ?? 'none',
    r.target,
    r.logEnd,
    change(r),
    r.lagAfter,
  ]);
  rows.push([
    'total',
    `${t.partitions} partition(s)`,
    '',
    '',
    '',
    `reprocess ${t.reprocess}, skip ${t.skip}`,
    t.lagAfter,
  ]);
  const title = `${execute ? 'rewinding' : 'preview of rewinding'} group ${plan.group} (${plan.state})`;
  output().line(
    renderTable(['topic', 'partition', 'committed', 'target', 'log end', 'change', 'lag after'], rows, {
      title,
    }),
  );
  if (t.uncommitted) {
    output().line(
      `${t.uncommitted} partition(s) had no committed offset: the group will start at the target there`,
    );
  }
}
