import { EbError, asUsageError, usageError } from '../cli/errors.js';
import type { KafkaSession } from '../kafka/client.js';
import { key } from '../kafka/partition-reader.js';
import {
  type PartitionBounds,
  type Position,
  type ResolvedOffset,
  resolvePosition,
  timestampsNeeded,
} from '../positions/index.js';
import { commitOffsetsAsAdmin } from './admin-commit.js';
import { describeGroupsRaw, membersOf, type PartitionOwner } from './describe.js';
import { committedOffsets, TopicBounds, topicsOf } from './lag.js';
import {
  type PlanEntry,
  PlanError,
  type PlanInput,
  type PlanRow,
  type PlanTotals,
  planFilePositions,
  planRows,
  planTotals,
  scopePartitions,
  type TopicScope,
} from './rewind-plan.js';

export type RewindScope =
  | { kind: 'topics'; topics: TopicScope[] }
  | { kind: 'all-topics' }
  | { kind: 'file'; entries: PlanEntry[]; file: string };

export interface RewindOptions {
  groupId: string;
  scope: RewindScope;
  /** Required unless the scope is a plan file. */
  to?: Position;
}

/** The `group rewind --json` contract. */
export interface RewindPlan {
  group: string;
  state: string;
  /** Members now in the group; a rewind is refused while there are any. */
  activeMembers: PartitionOwner[];
  rows: PlanRow[];
  totals: PlanTotals;
  /** Clamping and "no committed offset" notes from resolving the positions. */
  warnings: string[];
}

/** A pure-module error (positions, plan file) as exit 2, naming the flag it came from. */
function asUsage(err: unknown, what: string): never {
  if (err instanceof PlanError) throw usageError(err.message, err.hint);
  if ((err as Error).name === 'PositionError') throw asUsageError(err, what);
  throw err;
}

/**
 * Works out, without changing anything, where each partition in scope would move: the group's
 * committed offsets, the log bounds, and the target from `--to` (±N relative to the committed
 * offset, as kafka-consumer-groups --shift-by) or from the plan file, clamped into the log.
 */
export async function planRewind(session: KafkaSession, opts: RewindOptions): Promise<RewindPlan> {
  const { groupId, scope } = opts;
  const [desc] = await describeGroupsRaw(session, [groupId]);
  const members = desc ? await membersOf(desc) : [];
  const committed = await committedOffsets(session, groupId);

  let topics: string[];
  if (scope.kind === 'topics') topics = scope.topics.map((t) => t.topic);
  else if (scope.kind === 'file') topics = [...new Set(scope.entries.map((e) => e.topic))];
  else {
    topics = [
      ...new Set([
        ...topicsOf(committed.keys()),
        ...members.flatMap((m) => m.assignment.map((a) => a.topic)),
      ]),
    ];
    if (topics.length === 0) {
      throw usageError(
        `group ${groupId} has no committed offsets, so --all-topics names no topic`,
        'name the topics with --topic orders (or --topic orders:0,2)',
      );
    }
  }
  const tb = await TopicBounds.open(session, topics);
  const filePositions =
    scope.kind === 'file'
      ? wrap(
          () =>
            planFilePositions(
              scope.entries,
              (t) => (tb.topics.includes(t) ? tb.partitions(t) : undefined),
              scope.file,
            ),
          '--from-file',
        )
      : undefined;
  for (const t of topics) {
    if (!tb.topics.includes(t)) {
      throw usageError(`topic ${t} does not exist`, 'list topics with `eventbench topic list`');
    }
  }
  const bounds = await tb.bounds();
  const reader = tb.partitionReader!;

  const inputs: PlanInput[] = [];
  const warnings: string[] = [];
  for (const topic of topics.sort()) {
    const scoped =
      scope.kind === 'topics'
        ? wrap(
            () =>
              scopePartitions(
                scope.topics.find((s) => s.topic === topic)!,
                tb.partitions(topic),
              ),
            '--topic',
          )
        : tb.partitions(topic);
    const pb: PartitionBounds[] = scoped.map((partition) => {
      const b = bounds.get(key(topic, partition)) ?? { start: 0, end: 0 };
      return {
        partition,
        start: b.start,
        end: b.end,
        committed: committed.get(key(topic, partition)) ?? null,
      };
    });
    const position = filePositions?.get(topic) ?? opts.to;
    if (!position)
      throw usageError('say where to move the group with --to', 'e.g. --to earliest, --to @-1h, --to -100');
    let resolved: ResolvedOffset[];
    try {
      const ropts = { relativeTo: 'committed' as const };
      const needed = timestampsNeeded(position, scoped, ropts);
      const found = await reader.listOffsets(
        needed.map((n) => ({ topic, partition: n.partition, timestamp: n.timestamp })),
      );
      const lookups = new Map(needed.map((n) => [n.partition, found.get(key(topic, n.partition)) ?? null]));
      resolved = resolvePosition(position, pb, lookups, ropts);
    } catch (err) {
      asUsage(err, scope.kind === 'file' ? '--from-file' : `--to (topic ${topic})`);
    }
    for (const r of resolved) {
      if (r.warning) warnings.push(`${topic}: ${r.warning}`);
      const b = pb.find((x) => x.partition === r.partition)!;
      inputs.push({
        topic,
        partition: r.partition,
        committed: b.committed ?? null,
        logStart: b.start,
        logEnd: b.end,
        target: r.offset,
      });
    }
  }
  const rows = planRows(inputs);
  return {
    group: groupId,
    state: desc?.state ?? 'Dead',
    activeMembers: members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.host })),
    rows,
    totals: planTotals(rows),
    warnings,
  };
}

function wrap<T>(f: () => T, what: string): T {
  try {
    return f();
  } catch (err) {
    return asUsage(err, what);
  }
}

/** The refusal for a group with members, naming each (Kafka's tool refuses the same way). */
export function activeGroupError(plan: Pick<RewindPlan, 'group' | 'state' | 'activeMembers'>): EbError {
  const names = plan.activeMembers
    .map((m) => `${m.memberId} (client ${m.clientId || '-'}, host ${m.host || '-'})`)
    .join('; ');
  return new EbError(
    `group ${plan.group} has ${plan.activeMembers.length} active member(s), state ${plan.state}: ${names}`,
    {
      hint: 'offsets can only be moved while the group is empty: stop its consumers (they leave the group, or expire after their session timeout) and run again',
    },
  );
}

/** Applies a plan: refuses an active group, then commits every row's target as an admin. */
export async function executeRewind(session: KafkaSession, plan: RewindPlan): Promise<void> {
  if (plan.activeMembers.length > 0) throw activeGroupError(plan);
  await commitOffsetsAsAdmin(
    session,
    plan.group,
    plan.rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.target })),
  );
}
