// eventbench group … end to end: spawns bin/run.js against the run's broker (embedded or Apache
// Kafka), with real kafkajs consumers as group members, and checks exit codes, --json and text.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupDescribeResult } from '../../src/commands/group/describe.js';
import type { GroupListResult } from '../../src/commands/group/list.js';
import type { GroupRewindResult } from '../../src/commands/group/rewind.js';
import type { GroupWatchResult } from '../../src/commands/group/watch.js';
import { commitOffsetsAsAdmin } from '../../src/lib/groups/admin-commit.js';
import type { KafkaSession } from '../../src/lib/kafka/client.js';
import { runCli, uniqueName } from '../helpers/kafka.js';
import {
  closeFixture,
  committed,
  type Fixture,
  type Member,
  openFixture,
  seededTopic,
  session as openSession,
  startMember,
  stopMember,
  waitFor,
} from '../integration/groups/support.js';

let f: Fixture;
let s: KafkaSession;
let topic: string;
let dir: string;

beforeAll(async () => {
  f = await openFixture('eb-e2e-groups');
  s = await openSession('eb-e2e-groups');
  topic = uniqueName('e2e-groups');
  await seededTopic(f, topic);
  dir = mkdtempSync(join(tmpdir(), 'eb-e2e-groups-'));
});

afterAll(async () => {
  await s?.close();
  await closeFixture(f);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function json<T>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--json']);
  expect(
    r.code,
    `${args.join(' ')}: got exit ${r.code}, want 0; stderr: ${r.stderr}; stdout: ${r.stdout}`,
  ).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** A group with committed offsets, set in-process (admin commit, no consumer) to spare a spawn. */
async function groupAt(offsets: number[]): Promise<string> {
  const g = uniqueName('e2e-g');
  await commitOffsetsAsAdmin(
    s,
    g,
    offsets.map((offset, partition) => ({ topic, partition, offset })),
  );
  return g;
}

describe('group rewind (CLI)', () => {
  it('previews by default (a table with totals) and commits nothing', async () => {
    const g = await groupAt([8, 8, 8]);
    const r = await runCli(['group', 'rewind', g, '--topic', topic, '--to', '-3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/topic\s+partition\s+committed\s+target\s+log end\s+change\s+lag after/);
    expect(r.stdout).toMatch(new RegExp(`${topic}\\s+0\\s+8\\s+5\\s+10\\s+reprocess 3\\s+5`));
    expect(r.stdout).toMatch(/total\s+3 partition\(s\)\s+reprocess 9, skip 0\s+15/);
    expect(r.stdout).toContain('preview only: nothing committed');
    expect(await committed(f, g, topic)).toEqual([8, 8, 8]);
  });

  it('--execute commits, and --json returns the plan', async () => {
    const g = await groupAt([8, 8, 8]);
    const res = await json<GroupRewindResult>([
      'group',
      'rewind',
      g,
      '--topic',
      `${topic}:1`,
      '--to',
      'earliest',
      '--execute',
    ]);
    expect(res).toMatchObject({
      group: g,
      executed: true,
      position: 'earliest (log start)',
      exported: null,
      activeMembers: [],
    });
    expect(res.rows).toEqual([
      {
        topic,
        partition: 1,
        committed: 8,
        logStart: 0,
        logEnd: 10,
        target: 0,
        reprocess: 8,
        skip: 0,
        lagAfter: 10,
      },
    ]);
    expect(await committed(f, g, topic)).toEqual([8, 0, 8]);
  });

  it('--export then --from-file round-trips', async () => {
    const g = await groupAt([9, 9, 9]);
    const plan = join(dir, 'plan.csv');
    const first = await json<GroupRewindResult>([
      'group',
      'rewind',
      g,
      '--all-topics',
      '--to',
      '0=1,2=-4',
      '--export',
      plan,
    ]);
    expect(readFileSync(plan, 'utf8')).toBe(`${topic},0,1\n${topic},2,5\n`);
    expect(await committed(f, g, topic)).toEqual([9, 9, 9]);
    const second = await json<GroupRewindResult>(['group', 'rewind', g, '--from-file', plan, '--execute']);
    expect(second.rows).toEqual(first.rows);
    expect(await committed(f, g, topic)).toEqual([1, 9, 5]);
  });

  it.each<[string, (g: string, file: string) => string[], RegExp]>([
    [
      'a date without @',
      (g) => ['group', 'rewind', g, '--topic', topic, '--to', '2026-01-01', '--execute'],
      /for a time write "@2026-01-01"/,
    ],
    ['no --to', (g) => ['group', 'rewind', g, '--topic', topic, '--execute'], /--to/],
    ['no scope', (g) => ['group', 'rewind', g, '--to', 'earliest', '--execute'], /which partitions/],
    [
      'two scopes',
      (g) => ['group', 'rewind', g, '--topic', topic, '--all-topics', '--to', 'earliest', '--execute'],
      /give one of/,
    ],
    [
      'a missing partition',
      (g) => ['group', 'rewind', g, '--topic', `${topic}:5`, '--to', 'earliest', '--execute'],
      /partition 5 does not exist/,
    ],
    [
      'a bad plan line',
      (g, file) => ['group', 'rewind', g, '--from-file', file, '--execute'],
      /line 2: offset "ten" is not a non-negative integer/,
    ],
    [
      'a missing plan file',
      (g, file) => ['group', 'rewind', g, '--from-file', file + '.nope', '--execute'],
      /cannot read --from-file/,
    ],
  ])('bad input exits 2 with a hint and commits nothing: %s', async (_name, args, want) => {
    const g = await groupAt([4, 4, 4]);
    const file = join(dir, `bad-${g}.csv`);
    writeFileSync(file, `${topic},0,1\n${topic},1,ten\n`);
    const r = await runCli(args(g, file));
    expect(r.code, `got exit ${r.code}, want 2; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toMatch(want);
    expect(r.stderr, 'want a hint line').toMatch(/^hint: \S/m);
    expect(await committed(f, g, topic)).toEqual([4, 4, 4]);
  });
});

describe('groups with members (CLI)', () => {
  let queue: string;
  let pubsub: string;
  let members: Member[];
  // Its own topic, so the only groups reading it are the two below (for --explain).
  let topic: string;

  beforeAll(async () => {
    topic = uniqueName('e2e-hybrid');
    await seededTopic(f, topic);
    queue = uniqueName('e2e-queue');
    pubsub = uniqueName('e2e-pubsub');
    members = [
      await startMember(f, queue, topic, { clientId: 'queue-a' }),
      await startMember(f, queue, topic, { clientId: 'queue-b' }),
      await startMember(f, pubsub, topic, { clientId: 'solo' }),
    ];
    const [a, b, c] = members as [Member, Member, Member];
    await waitFor('two queue members to share 3 partitions and the third to hold all', () => {
      const shared = [...a.assigned, ...b.assigned].sort().join(',');
      return a.assigned.length > 0 && b.assigned.length > 0 && shared === '0,1,2' && c.assigned.length === 3;
    });
    await waitFor('every member to read and commit all records', async () => {
      const q = await committed(f, queue, topic);
      const p = await committed(f, pubsub, topic);
      return q.every((o) => o === 10) && p.every((o) => o === 10);
    });
  });

  afterAll(async () => {
    for (const m of members ?? []) await stopMember(f, m).catch(() => undefined);
  });

  it('describe shows per-partition owners and members with assignments, and --explain the hybrid model', async () => {
    const d = await json<GroupDescribeResult>(['group', 'describe', queue, '--explain']);
    expect(d).toMatchObject({
      group: queue,
      exists: true,
      state: 'Stable',
      protocolType: 'consumer',
      totalLag: 0,
    });
    expect(d.members.map((m) => m.clientId).sort()).toEqual(['queue-a', 'queue-b']);
    const owners = d.partitions.map((p) => p.owner?.clientId);
    expect(
      owners.every((o) => o === 'queue-a' || o === 'queue-b'),
      `owners ${owners}`,
    ).toBe(true);
    expect(new Set(owners).size, 'both members own partitions').toBe(2);
    for (const p of d.partitions) {
      const owner = d.members.find((m) => m.memberId === p.owner?.memberId);
      expect(
        owner?.assignment.find((a) => a.topic === topic)?.partitions,
        `partition ${p.partition}`,
      ).toContain(p.partition);
      expect(p.lag).toBe(p.logEnd - (p.committed ?? NaN));
    }
    const t = d.explain?.find((x) => x.topic === topic);
    expect(t?.groups.map((g) => g.group).sort()).toEqual([queue, pubsub].sort());

    const text = await runCli(['group', 'describe', queue, '--explain']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`${topic} (3 partitions) is read by 2 groups: ${queue}, ${pubsub}`);
    expect(text.stdout).toContain('pub/sub: each of these groups gets every record');
    expect(text.stdout).toMatch(new RegExp(`${queue}: queue of 2 members sharing the partitions`));
    expect(text.stdout).toMatch(
      new RegExp(`${pubsub}: queue of 1 member, which reads every partition: solo → 0,1,2`),
    );
  });

  it('list shows state, members, protocol, topics and lag; --explain per topic', async () => {
    const res = await json<GroupListResult>(['group', 'list', '--explain']);
    const q = res.groups.find((g) => g.group === queue);
    const p = res.groups.find((g) => g.group === pubsub);
    expect(q).toMatchObject({
      state: 'Stable',
      members: 2,
      protocolType: 'consumer',
      topics: [topic],
      totalLag: 0,
    });
    expect(p).toMatchObject({ state: 'Stable', members: 1, topics: [topic], totalLag: 0 });
    expect(res.explain?.find((x) => x.topic === topic)?.groups.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses to rewind a group with active members, naming them; nothing is committed', async () => {
    const r = await runCli(['group', 'rewind', queue, '--topic', topic, '--to', 'earliest', '--execute']);
    expect(r.code, `got exit ${r.code}, want 1; ${r.stderr}`).toBe(1);
    expect(r.stderr).toMatch(/has 2 active member\(s\)/);
    expect(r.stderr).toContain('client queue-a');
    expect(r.stderr).toContain('client queue-b');
    expect(await committed(f, queue, topic)).toEqual([10, 10, 10]);
  });

  it('refuses to delete offsets of a topic the members are subscribed to', async () => {
    const r = await runCli(['group', 'delete-offsets', pubsub, '--topic', topic, '--force']);
    expect(r.code, `got exit ${r.code}, want 1; ${r.stderr}`).toBe(1);
    expect(r.stderr).toContain('GROUP_SUBSCRIBED_TO_TOPIC');
    expect(await committed(f, pubsub, topic)).toEqual([10, 10, 10]);
  });

  it('watch prints plain lines when stdout is not a terminal, bounded by --iterations', async () => {
    const r = await runCli(['group', 'watch', queue, '--interval', '200ms', '--iterations', '2']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length, r.stdout).toBe(2 * 4);
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\S+Z ${queue} ${topic}/0 committed=10 end=10 lag=0 consume=- arrival=- trend=caught-up eta=0s$`,
      ),
    );
    expect(lines[7]).toMatch(
      / total state=Stable members=2 lag=0 consume=0\/s arrival=0\/s trend=caught-up eta=0s$/,
    );
    const res = await json<GroupWatchResult>([
      'group',
      'watch',
      queue,
      '--interval',
      '100ms',
      '--iterations',
      '2',
    ]);
    expect(res.views.length).toBe(2);
    expect(res.views[1]?.total).toMatchObject({ lag: 0, consumeRate: 0, arrivalRate: 0, trend: 'caught-up' });
  });
});

describe('group delete and delete-offsets (CLI)', () => {
  it('need --force without a terminal, then delete', async () => {
    const g = await groupAt([3, 3, 3]);
    const no = await runCli(['group', 'delete-offsets', g, '--topic', `${topic}:0`]);
    expect(no.code, no.stderr).toBe(2);
    expect(no.stderr).toContain('--force');
    expect(await committed(f, g, topic)).toEqual([3, 3, 3]);

    const res = await json<{ deleted: { topic: string; partition: number }[] }>([
      'group',
      'delete-offsets',
      g,
      '--topic',
      `${topic}:0`,
      '--force',
    ]);
    expect(res.deleted).toEqual([{ topic, partition: 0 }]);
    expect(await committed(f, g, topic)).toEqual([-1, 3, 3]);

    const noDel = await runCli(['group', 'delete', g]);
    expect(noDel.code).toBe(2);
    const del = await json<{ deleted: string[] }>(['group', 'delete', g, '--force']);
    expect(del.deleted).toEqual([g]);
    const gone = await runCli(['group', 'describe', g]);
    expect(gone.code, gone.stdout).toBe(1);
    expect(gone.stderr).toContain(`group ${g} does not exist`);
    const again = await runCli(['group', 'delete', g, '--force']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('does not exist');
  });
});
