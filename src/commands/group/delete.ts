import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { EbError } from '../../lib/cli/errors.js';
import { confirmOrForce } from '../../lib/cli/prompt.js';
import { deleteGroupsAsAdmin } from '../../lib/groups/admin-commit.js';
import { describeGroupsRaw } from '../../lib/groups/describe.js';
import { output } from '../../lib/render/output.js';

export interface GroupDeleteResult {
  deleted: string[];
}

const reasons: Record<string, string> = {
  GROUP_ID_NOT_FOUND: 'does not exist',
  NON_EMPTY_GROUP: 'has active members',
};

export default class GroupDelete extends BaseCommand<GroupDeleteResult> {
  static override summary = 'Delete consumer groups and their committed offsets.';
  static override description =
    'Only a group with no active members can be deleted. Asks for confirmation on a terminal; in scripts (no terminal, or --json) it refuses unless --force is given.';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> group delete billing',
    '<%= config.bin %> group delete a b --force',
  ];
  static override args = {
    group: Args.string({ ignoreStdin: true, required: true, description: 'Group id (several allowed)' }),
  };
  static override flags = {
    ...targetFlags,
    force: Flags.boolean({ char: 'f', summary: 'Delete without asking.' }),
  };

  async run(): Promise<GroupDeleteResult> {
    const { argv, flags } = await this.parse(GroupDelete);
    const groups = [...new Set(argv as string[])];
    const session = await this.session(flags);
    // Name the members ourselves: Kafka's NON_EMPTY_GROUP says only that there are some.
    for (const d of await describeGroupsRaw(session, groups)) {
      if (d.members.length) {
        const names = d.members
          .map((m) => `${m.memberId} (client ${m.clientId}, host ${m.clientHost})`)
          .join('; ');
        throw new EbError(`group ${d.groupId} has ${d.members.length} active member(s): ${names}`, {
          hint: 'stop its consumers first; a group can only be deleted while it is empty',
        });
      }
    }
    const ok = await confirmOrForce(`Delete group ${groups.join(', ')} and its committed offsets?`, {
      force: flags.force,
      json: this.jsonEnabled(),
      action: `delete group ${groups.join(', ')}`,
    });
    if (!ok) {
      output().line('nothing deleted');
      return { deleted: [] };
    }
    const results = await deleteGroupsAsAdmin(session, groups);
    const deleted = results.filter((r) => r.error === null).map((r) => r.group);
    const failed = results.filter((r) => r.error !== null);
    if (failed.length) {
      const what = failed.map(
        (f) => `group ${f.group} ${reasons[f.error ?? ''] ?? `could not be deleted (${f.error})`}`,
      );
      throw new EbError(`${what.join('; ')}${deleted.length ? `; deleted ${deleted.join(', ')}` : ''}`, {
        hint: 'list groups with `eventbench group list`',
      });
    }
    if (!this.jsonEnabled()) output().line(`deleted group ${deleted.join(', ')}`);
    return { deleted };
  }
}
