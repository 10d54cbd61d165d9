import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { EbError, usageError } from '../../lib/cli/errors.js';
import { confirmOrForce } from '../../lib/cli/prompt.js';
import { deleteOffsetsAsAdmin, type OffsetDeleteOutcome } from '../../lib/groups/admin-commit.js';
import { TopicBounds } from '../../lib/groups/lag.js';
import {
  PlanError,
  parseTopicScopes,
  scopePartitions,
  type TopicScope,
} from '../../lib/groups/rewind-plan.js';
import { output } from '../../lib/render/output.js';

export interface GroupDeleteOffsetsResult {
  group: string;
  deleted: { topic: string; partition: number }[];
}

export default class GroupDeleteOffsets extends BaseCommand<GroupDeleteOffsetsResult> {
  static override summary = 'Delete a group’s committed offsets for topics or partitions.';
  static override description = `Kafka refuses while the group's members are subscribed to the topic. Afterwards the group
starts those partitions where its auto.offset.reset says. Asks for confirmation on a terminal; in
scripts (no terminal, or --json) it refuses unless --force is given.`;
  static override examples = [
    '<%= config.bin %> group delete-offsets billing --topic orders',
    '<%= config.bin %> group delete-offsets billing --topic orders:0,2 --force',
  ];
  static override args = {
    group: Args.string({ ignoreStdin: true, required: true, description: 'Consumer group id' }),
  };
  static override flags = {
    ...targetFlags,
    topic: Flags.string({
      char: 't',
      summary: 'Topic, or topic:0,2 (repeatable).',
      multiple: true,
      required: true,
    }),
    force: Flags.boolean({ char: 'f', summary: 'Delete without asking.' }),
  };

  async run(): Promise<GroupDeleteOffsetsResult> {
    const { args, flags } = await this.parse(GroupDeleteOffsets);
    let scopes: TopicScope[];
    try {
      scopes = parseTopicScopes(flags.topic);
    } catch (err) {
      if (err instanceof PlanError) throw usageError(err.message, err.hint);
      throw err;
    }
    const session = await this.session(flags);
    const tb = await TopicBounds.open(
      session,
      scopes.map((s) => s.topic),
    );
    const partitions: { topic: string; partition: number }[] = [];
    for (const s of scopes) {
      if (!tb.topics.includes(s.topic))
        throw usageError(`topic ${s.topic} does not exist`, 'list topics with `eventbench topic list`');
      let ps: number[];
      try {
        ps = scopePartitions(s, tb.partitions(s.topic));
      } catch (err) {
        if (err instanceof PlanError) throw usageError(err.message, err.hint);
        throw err;
      }
      for (const partition of ps) partitions.push({ topic: s.topic, partition });
    }
    const what = scopes
      .map((s) => (s.partitions ? `${s.topic}:${s.partitions.join(',')}` : s.topic))
      .join(', ');
    const ok = await confirmOrForce(`Delete group ${args.group}'s committed offsets for ${what}?`, {
      force: flags.force,
      json: this.jsonEnabled(),
      action: `delete offsets of group ${args.group}`,
    });
    if (!ok) {
      output().line('nothing deleted');
      return { group: args.group, deleted: [] };
    }
    const outcomes = await deleteOffsetsAsAdmin(session, args.group, partitions);
    const refused = outcomes.filter((o) => o.error !== null);
    if (refused.length) throw refusal(args.group, refused);
    const deleted = outcomes.map(({ topic, partition }) => ({ topic, partition }));
    if (!this.jsonEnabled())
      output().line(`deleted the committed offsets of group ${args.group} for ${what}`);
    return { group: args.group, deleted };
  }
}

function refusal(group: string, refused: OffsetDeleteOutcome[]): EbError {
  const list = refused.map((r) => `${r.topic}:${r.partition} (${r.error})`).join(', ');
  const subscribed = refused.some((r) => r.error === 'GROUP_SUBSCRIBED_TO_TOPIC');
  return new EbError(`Kafka kept the offsets of group ${group} for ${list}`, {
    hint: subscribed
      ? `the group's members are subscribed to that topic; stop them first (see \`eventbench group describe ${group}\`)`
      : undefined,
  });
}
