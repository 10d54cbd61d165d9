// group rewind against the run's broker (embedded or Apache Kafka), through src/lib with real
// kafkajs consumers checking the outcome: timestamps, shifts, earliest/latest, maps, previews,
// refusal while members are active, future times, plan files, lag, and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EbError } from '../../../src/lib/cli/errors.js';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { commitOffsetsAsAdmin } from '../../../src/lib/groups/admin-commit.js';
import { describeGroup } from '../../../src/lib/groups/describe.js';
import { executeRewind, planRewind, type RewindOptions } from '../../../src/lib/groups/rewind.js';
import { parsePlanCsv, parseTopicScopes, planToCsv } from '../../../src/lib/groups/rewind-plan.js';
import { parsePosition } from '../../../src/lib/positions/index.js';
import { uniqueName } from '../../helpers/kafka.js';
import {
  closeFixture,
  committed,
  type Fixture,
  openFixture,
  seededTopic,
  session as openSession,
  stamp,
  startMember,
  stopMember,
  waitFor,
} from './support.js';

let f: Fixture;
let s: KafkaSession;
let topic: string;

beforeAll(async () => {
  f = await openFixture('eb-rewind-test');
  s = await openSession('eb-rewind-test');
  topic = uniqueName('rewind');
  await seededTopic(f, topic);
});

afterAll(async () => {
  await s?.close();
  await closeFixture(f);
});

/** A group whose committed offsets are `offsets` (per partition; null = leave uncommitted). */
async function groupAt(offsets: (number | null)[]): Promise<string> {
  const g = uniqueName('rw-g');
  const list = offsets.flatMap((offset, partition) =>
    offset === null ? [] : [{ topic, partition, offset }],
  );
  await commitOffsetsAsAdmin(s, g, list);
  return g;
}

function opts(groupId: string, to: string, scope = [topic]): RewindOptions {
  return { groupId, scope: { kind: 'topics', topics: parseTopicScopes(scope) }, to: parsePosition(to) };
}

async function rewind(groupId: string, to: string, scope = [topic]) {
  const plan = await planRewind(s, opts(groupId, to, scope));
  await executeRewind(s, plan);
  return plan;
}

async function expectCommitted(g: string, want: number[]): Promise<void> {
  const got = await committed(f, g, topic);
  expect(got, `committed offsets of ${g}: got ${got}, want ${want}`).toEqual(want);
}

describe('group rewind', () => {
  it('by timestamp lands each partition on the first record at or after that time; a consumer reads exactly the rest', async () => {
    const g = await groupAt([10, 10, 10]);
    // stamp(p, i) = T0 + i s + p·300 ms; T0 + 3.5 s is first reached at i = 4, 4, 3.
    const at = new Date(stamp(0, 3) + 500).toISOString();
    const plan = await rewind(g, `@${at}`);
    expect(plan.rows.map((r) => r.target)).toEqual([4, 4, 3]);
    expect(plan.totals).toMatchObject({ partitions: 3, reprocess: 6 + 6 + 7, skip: 0 });
    await expectCommitted(g, [4, 4, 3]);

    const m = await startMember(f, g, topic, { fromBeginning: true });
    await waitFor('19 records', () => m.got.length >= 19);
    const want = [
      ...[4, 5, 6, 7, 8, 9].map((i) => `p0-${i}`),
      ...[4, 5, 6, 7, 8, 9].map((i) => `p1-${i}`),
      ...[3, 4, 5, 6, 7, 8, 9].map((i) => `p2-${i}`),
    ];
    expect([...m.got].sort(), `got ${m.got.join(' ')}`).toEqual(want.sort());
    await waitFor('commits at the end', async () => (await committed(f, g, topic)).every((o) => o === 10));
    expect(m.got.length, `got ${m.got.length} records, want 19`).toBe(19);
    await stopMember(f, m);
  });

  it.each<[string, (number | null)[], string, number[]]>([
    ['-2 shifts back from the committed offset', [5, 6, 7], '-2', [3, 4, 5]],
    ['+3 shifts forward from the committed offset', [5, 6, 7], '+3', [8, 9, 10]],
    ['+100 clamps to the log end', [5, 6, 7], '+100', [10, 10, 10]],
    ['-100 clamps to the log start', [5, 6, 7], '-100', [0, 0, 0]],
    ['earliest', [5, 6, 7], 'earliest', [0, 0, 0]],
    ['latest', [1, 2, 3], 'latest', [10, 10, 10]],
    ['an offset', [1, 2, 3], '7', [7, 7, 7]],
    ['+N without a committed offset shifts from the log start', [null, 6, null], '+2', [2, 8, 2]],
  ])('%s', async (_name, start, to, want) => {
    const g = await groupAt(start);
    const plan = await rewind(g, to);
    expect(
      plan.rows.map((r) => r.target),
      `targets for ${to}`,
    ).toEqual(want);
    await expectCommitted(g, want);
  });

  it('a per-partition map moves only the partitions it names', async () => {
    const g = await groupAt([5, 5, 5]);
    const plan = await rewind(g, '0=1,2=latest');
    expect(plan.rows.map((r) => [r.partition, r.target])).toEqual([
      [0, 1],
      [2, 10],
    ]);
    await expectCommitted(g, [1, 5, 10]);
  });

  it('--topic t:0,2 moves only those partitions', async () => {
    const g = await groupAt([5, 5, 5]);
    await rewind(g, 'earliest', [`${topic}:0,2`]);
    await expectCommitted(g, [0, 5, 0]);
  });

  it('a future timestamp clamps to the log end, never -1', async () => {
    const g = await groupAt([2, 2, 2]);
    const plan = await rewind(g, '@2099-01-01T00:00Z');
    expect(plan.rows.map((r) => r.target)).toEqual([10, 10, 10]);
    await expectCommitted(g, [10, 10, 10]);
  });

  it('works for a group that never committed', async () => {
    const g = uniqueName('rw-new');
    const plan = await rewind(g, '@' + new Date(stamp(0, 5)).toISOString());
    expect(plan.rows.map((r) => [r.committed, r.target])).toEqual([
      [null, 5],
      [null, 5],
      [null, 5],
    ]);
    expect(plan.totals.uncommitted).toBe(3);
    await expectCommitted(g, [5, 5, 5]);
  });

  it('the preview changes nothing', async () => {
    const g = await groupAt([5, 6, 7]);
    const plan = await planRewind(s, opts(g, 'earliest'));
    expect(plan.rows.map((r) => r.reprocess)).toEqual([5, 6, 7]);
    await expectCommitted(g, [5, 6, 7]);
  });

  it('is refused while the group has active members, naming them; nothing is committed', async () => {
    const g = await groupAt([10, 10, 10]);
    const m = await startMember(f, g, topic, { clientId: 'eb-rewind-member' });
    await waitFor('an assignment', () => m.assigned.length === 3);
    const plan = await planRewind(s, opts(g, 'earliest'));
    expect(plan.activeMembers.length, `got ${plan.activeMembers.length} members, want 1`).toBe(1);
    const member = plan.activeMembers[0]!;
    expect(member.clientId).toBe('eb-rewind-member');
    const err = await executeRewind(s, plan).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, 'got no error, want a refusal').toBeInstanceOf(EbError);
    expect((err as EbError).message).toContain(member.memberId);
    expect((err as EbError).message).toContain('eb-rewind-member');
    expect((err as EbError).message).toContain(member.host);
    expect((err as EbError).exitCode).toBe(1);
    await stopMember(f, m);
    await expectCommitted(g, [10, 10, 10]);
  });

  it('an exported plan read back with --from-file gives the same targets', async () => {
    const g = await groupAt([9, 9, 9]);
    const plan = await planRewind(s, opts(g, '0=2,1=@' + new Date(stamp(1, 6)).toISOString() + ',2=-4'));
    const csv = planToCsv(plan.rows);
    expect(csv).toBe(`${topic},0,2\n${topic},1,6\n${topic},2,5\n`);
    const back = await planRewind(s, {
      groupId: g,
      scope: { kind: 'file', entries: parsePlanCsv(csv), file: 'p.csv' },
    });
    expect(back.rows).toEqual(plan.rows);
    await executeRewind(s, back);
    await expectCommitted(g, [2, 6, 5]);
  });

  it('lag equals log end minus committed; uncommitted partitions have none', async () => {
    const g = await groupAt([3, null, 10]);
    const d = await describeGroup(s, g);
    expect(d.partitions.map((p) => [p.partition, p.committed, p.logEnd, p.lag])).toEqual([
      [0, 3, 10, 7],
      [1, null, 10, null],
      [2, 10, 10, 0],
    ]);
    expect(d.totalLag).toBe(7);
    expect(d.state).toBe('Empty');
  });

  it.each<[string, () => RewindOptions, RegExp]>([
    [
      'a partition the topic lacks',
      () => opts('x', 'earliest', [`${topic}:7`]),
      /partition 7 does not exist/,
    ],
    [
      'a map partition the topic lacks',
      () => opts('x', '5=earliest'),
      /partition 5 in the map does not exist/,
    ],
    [
      'a topic that does not exist',
      () => opts('x', 'earliest', ['no-such-topic-rw']),
      /topic no-such-topic-rw does not exist/,
    ],
    [
      'a plan file naming a missing partition',
      () => ({
        groupId: 'x',
        scope: { kind: 'file', entries: parsePlanCsv(`${topic},0,1\n${topic},9,1`), file: 'p.csv' },
      }),
      /p\.csv line 2: .* has no partition 9/,
    ],
  ])(
    'bad input is a usage error (exit 2) with a hint, and nothing is committed: %s',
    async (_name, make, want) => {
      const g = await groupAt([4, 4, 4]);
      const o = { ...make(), groupId: g };
      const err = await planRewind(s, o).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, 'got no error, want a usage error').toBeInstanceOf(EbError);
      expect((err as EbError).exitCode, `got exit ${(err as EbError).exitCode}, want 2`).toBe(2);
      expect((err as EbError).message).toMatch(want);
      expect((err as EbError).hint, 'want a hint').toBeTruthy();
      await expectCommitted(g, [4, 4, 4]);
    },
  );
});
