import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSubscription } from '../../../../src/lib/broker/groups/consumer-protocol.js';
import { GroupCoordinator } from '../../../../src/lib/broker/groups/coordinator.js';
import type { OffsetCommitEntry } from '../../../../src/lib/broker/groups/types.js';
import { ErrorCode } from '../../../../src/lib/broker/protocol/error-codes.js';
import { FakeClock } from './fake-clock.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'eb-groups-'));
  dirs.push(d);
  return d;
}

const off = (
  topic: string,
  partition: number,
  offset: bigint,
  metadata: string | null = null,
): OffsetCommitEntry => ({
  topic,
  partition,
  offset,
  leaderEpoch: -1,
  metadata,
});

function adminCommit(c: GroupCoordinator, groupId: string, offsets: OffsetCommitEntry[]) {
  return c.commitOffsets({ groupId, generationId: -1, memberId: '', groupInstanceId: null, offsets });
}

/** A consumer group with one Stable member subscribed to `topics`. */
async function liveGroup(c: GroupCoordinator, clock: FakeClock, groupId: string, topics: string[]) {
  const p = c.joinGroup({
    groupId,
    memberId: '',
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: encodeSubscription(topics) }],
    requireKnownMemberId: false,
  });
  await clock.advance(0);
  const j = await p;
  await c.syncGroup({
    groupId,
    memberId: j.memberId,
    generationId: j.generationId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  return { memberId: j.memberId, generationId: j.generationId };
}

describe('OffsetCommit / OffsetFetch', () => {
  it('admin commit (generation -1, no member) creates a simple group; fetch answers -1 for the rest', async () => {
    const c = new GroupCoordinator({ clock: new FakeClock() });
    const res = await adminCommit(c, 'g', [off('t', 0, 42n, 'meta'), off('t', 1, 7n)]);
    expect(res.map((r) => r.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    const f = c.fetchOffsets('g', [{ topic: 't', partitions: [0, 1, 2] }]);
    expect(f.offsets.map((o) => [o.partition, o.offset, o.metadata, o.leaderEpoch])).toEqual([
      [0, 42n, 'meta', -1],
      [1, 7n, '', -1],
      [2, -1n, '', -1],
    ]);
    expect(c.describeGroup('g')).toMatchObject({ state: 'Empty', protocolType: '' });
    expect(c.fetchOffsets('none', null).offsets).toEqual([]);
  });

  it('null topics fetches every committed partition of the group', async () => {
    const c = new GroupCoordinator({ clock: new FakeClock() });
    await adminCommit(c, 'g', [off('b', 1, 3n), off('a', 0, 1n), off('b', 0, 2n)]);
    const all = c.fetchOffsets('g', null).offsets.map((o) => `${o.topic}-${o.partition}=${o.offset}`);
    expect(all.sort()).toEqual(['a-0=1', 'b-0=2', 'b-1=3']);
  });

  it('member commits need the current generation; an admin commit to a live group is UNKNOWN_MEMBER_ID', async () => {
    const clock = new FakeClock();
    const c = new GroupCoordinator({ clock });
    const m = await liveGroup(c, clock, 'g', ['t']);
    const commit = (generationId: number, memberId: string) =>
      c.commitOffsets({
        groupId: 'g',
        generationId,
        memberId,
        groupInstanceId: null,
        offsets: [off('t', 0, 5n)],
      });
    expect((await commit(m.generationId, m.memberId))[0]?.errorCode).toBe(ErrorCode.NONE);
    expect((await commit(m.generationId + 1, m.memberId))[0]?.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await commit(m.generationId, 'ghost'))[0]?.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await commit(-1, ''))[0]?.errorCode, 'admin commit to a group with members').toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    // Stale generation for a group we never heard of.
    const stale = await c.commitOffsets({
      groupId: 'other',
      generationId: 3,
      memberId: 'x',
      groupInstanceId: null,
      offsets: [off('t', 0, 1n)],
    });
    expect(stale[0]?.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(c.fetchOffsets('g', [{ topic: 't', partitions: [0] }]).offsets[0]?.offset).toBe(5n);
  });

  it('commits during CompletingRebalance answer REBALANCE_IN_PROGRESS', async () => {
    const clock = new FakeClock();
    const c = new GroupCoordinator({ clock });
    const p = c.joinGroup({
      groupId: 'g',
      memberId: '',
      groupInstanceId: null,
      clientId: 'c',
      clientHost: 'h',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
      requireKnownMemberId: false,
    });
    await clock.advance(0);
    const j = await p;
    const res = await c.commitOffsets({
      groupId: 'g',
      generationId: j.generationId,
      memberId: j.memberId,
      groupInstanceId: null,
      offsets: [off('t', 0, 1n)],
    });
    expect(res[0]?.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('rejects metadata over offset.metadata.max.bytes per partition', async () => {
    const c = new GroupCoordinator({ clock: new FakeClock(), offsetMetadataMaxBytes: 4 });
    const res = await adminCommit(c, 'g', [off('t', 0, 1n, 'short'), off('t', 1, 1n, 'ok')]);
    expect(res.map((r) => r.errorCode)).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE]);
  });
});

describe('OffsetDelete', () => {
  it('refuses topics an active member subscribes to, deletes the others', async () => {
    const clock = new FakeClock();
    const c = new GroupCoordinator({ clock });
    await adminCommit(c, 'g', [off('sub', 0, 1n), off('old', 0, 2n)]);
    await liveGroup(c, clock, 'g', ['sub']);
    const res = await c.deleteOffsets('g', [
      { topic: 'sub', partition: 0 },
      { topic: 'old', partition: 0 },
    ]);
    expect(res.errorCode).toBe(ErrorCode.NONE);
    expect(res.partitions.map((p) => p.errorCode)).toEqual([
      ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC,
      ErrorCode.NONE,
    ]);
    const left = c.fetchOffsets('g', null).offsets.map((o) => o.topic);
    expect(left).toEqual(['sub']);
    expect((await c.deleteOffsets('missing', [])).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});

describe('persistence', () => {
  it('offsets, groups and generations survive a reopen; deleted groups stay deleted', async () => {
    const dataDir = await tempDir();
    const clock = new FakeClock();
    const c1 = new GroupCoordinator({ dataDir, clock });
    await c1.load();
    await adminCommit(c1, 'simple', [off('t', 0, 10n, 'm')]);
    const m = await liveGroup(c1, clock, 'live', ['t']);
    await c1.commitOffsets({
      groupId: 'live',
      generationId: m.generationId,
      memberId: m.memberId,
      groupInstanceId: null,
      offsets: [off('t', 1, 99n)],
    });
    await adminCommit(c1, 'doomed', [off('t', 0, 1n)]);
    expect((await c1.deleteGroups(['doomed']))[0]?.errorCode).toBe(ErrorCode.NONE);
    await c1.close();

    const c2 = new GroupCoordinator({ dataDir, clock });
    await c2.load();
    expect(c2.fetchOffsets('simple', null).offsets[0]).toMatchObject({ offset: 10n, metadata: 'm' });
    expect(c2.fetchOffsets('live', null).offsets[0]).toMatchObject({ partition: 1, offset: 99n });
    expect(c2.describeGroup('live')).toMatchObject({ state: 'Empty', protocolType: 'consumer', members: [] });
    expect(
      c2
        .listGroups()
        .map((g) => g.groupId)
        .sort(),
    ).toEqual(['live', 'simple']);
    // The generation carries on, so a stale member can never hit a reused generation number.
    const again = await liveGroup(c2, clock, 'live', ['t']);
    expect(
      again.generationId,
      `got generation ${again.generationId}, want > ${m.generationId}`,
    ).toBeGreaterThan(m.generationId);
    await c2.close();
  });

  it('replays the journal when the broker died without a snapshot, ignoring a torn last line', async () => {
    const dataDir = await tempDir();
    const c1 = new GroupCoordinator({ dataDir, clock: new FakeClock() });
    await c1.load();
    await adminCommit(c1, 'g', [off('t', 0, 1n)]);
    await adminCommit(c1, 'g', [off('t', 0, 2n)]);
    // No close(): simulate a crash. Then tear a half-written line onto the journal.
    const journal = join(dataDir, 'groups', 'journal.log');
    const text = await readFile(journal, 'utf8');
    expect(text.trim().split('\n'), 'two journal lines').toHaveLength(2);
    await appendFile(journal, '{"seq":3,"change":{"op":"commit","group":"g","off');

    const c2 = new GroupCoordinator({ dataDir, clock: new FakeClock() });
    await c2.load();
    expect(c2.fetchOffsets('g', null).offsets[0]?.offset).toBe(2n);
    // The torn line is gone, so a new commit is readable after another crash.
    await adminCommit(c2, 'g', [off('t', 0, 3n)]);
    const c3 = new GroupCoordinator({ dataDir, clock: new FakeClock() });
    await c3.load();
    expect(c3.fetchOffsets('g', null).offsets[0]?.offset).toBe(3n);
    await c3.close();
  });

  it('does not replay journal lines the snapshot already covers', async () => {
    const dataDir = await tempDir();
    const c1 = new GroupCoordinator({ dataDir, clock: new FakeClock() });
    await c1.load();
    await adminCommit(c1, 'g', [off('t', 0, 1n)]);
    const journal = join(dataDir, 'groups', 'journal.log');
    const oldLine = await readFile(journal, 'utf8');
    await adminCommit(c1, 'g', [off('t', 0, 2n)]);
    await c1.close(); // snapshot at seq 2, journal emptied
    // A crash between snapshot and truncation would leave old lines behind: they must not win.
    await writeFile(journal, oldLine);
    const c2 = new GroupCoordinator({ dataDir, clock: new FakeClock() });
    await c2.load();
    expect(c2.fetchOffsets('g', null).offsets[0]?.offset).toBe(2n);
    await c2.close();
  });

  it('batches concurrent commits and compacts the journal when it grows', async () => {
    const dataDir = await tempDir();
    const c1 = new GroupCoordinator({ dataDir, clock: new FakeClock(), journalCompactBytes: 2000 });
    await c1.load();
    const commits = [];
    for (let i = 0; i < 200; i++) commits.push(adminCommit(c1, 'g', [off('t', i % 4, BigInt(i))]));
    const res = await Promise.all(commits);
    expect(res.every((r) => r[0]?.errorCode === ErrorCode.NONE)).toBe(true);
    // This one is queued behind the compaction that the 200 commits set off.
    await adminCommit(c1, 'g', [off('t', 3, 199n)]);
    const size = (await readFile(join(dataDir, 'groups', 'journal.log'))).length;
    expect(size, `journal is ${size} bytes after compaction at 2000`).toBeLessThan(2000);
    const c2 = new GroupCoordinator({ dataDir, clock: new FakeClock() });
    await c2.load();
    const got = c2.fetchOffsets('g', null).offsets.map((o) => Number(o.offset));
    expect(got).toEqual([196, 197, 198, 199]);
    await c2.close();
    await c1.close();
  });

  it('topic deletion drops the topic offsets of every group', async () => {
    const c = new GroupCoordinator({ clock: new FakeClock() });
    await adminCommit(c, 'a', [off('gone', 0, 1n), off('kept', 0, 1n)]);
    await adminCommit(c, 'b', [off('gone', 0, 1n)]);
    await c.onTopicsDeleted(['gone']);
    expect(c.fetchOffsets('a', null).offsets.map((o) => o.topic)).toEqual(['kept']);
    expect(c.fetchOffsets('b', null).offsets).toEqual([]);
  });
});
