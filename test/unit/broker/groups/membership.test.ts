import { describe, expect, it } from 'vitest';
import { GroupCoordinator } from '../../../../src/lib/broker/groups/coordinator.js';
import { encodeSubscription } from '../../../../src/lib/broker/groups/consumer-protocol.js';
import type { JoinRequest, JoinResult } from '../../../../src/lib/broker/groups/types.js';
import { ErrorCode } from '../../../../src/lib/broker/protocol/error-codes.js';
import { FakeClock, flush } from './fake-clock.js';

const SESSION = 10_000;
const REBALANCE = 30_000;

function req(groupId: string, memberId: string, over: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId,
    memberId,
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: SESSION,
    rebalanceTimeoutMs: REBALANCE,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: encodeSubscription(['orders']) }],
    requireKnownMemberId: true,
    ...over,
  };
}

function setup(): { c: GroupCoordinator; clock: FakeClock } {
  const clock = new FakeClock();
  return { c: new GroupCoordinator({ clock }), clock };
}

/** KIP-394 round trip, then the member waits in JoinGroup; returns the pending answer. */
async function joinNew(
  c: GroupCoordinator,
  groupId: string,
  over: Partial<JoinRequest> = {},
): Promise<{ memberId: string; answer: Promise<JoinResult> }> {
  const first = await c.joinGroup(req(groupId, '', over));
  expect(first.errorCode, `first join: got ${first.errorCode}, want MEMBER_ID_REQUIRED`).toBe(
    ErrorCode.MEMBER_ID_REQUIRED,
  );
  return { memberId: first.memberId, answer: c.joinGroup(req(groupId, first.memberId, over)) };
}

/** One member joins and syncs a fresh group; it is the leader of generation 1. */
async function stableWithOne(c: GroupCoordinator, clock: FakeClock, groupId: string): Promise<string> {
  const a = await joinNew(c, groupId);
  await clock.advance(0);
  const ja = await a.answer;
  expect(ja.errorCode).toBe(ErrorCode.NONE);
  const sa = await c.syncGroup({
    groupId,
    memberId: a.memberId,
    generationId: ja.generationId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [{ memberId: a.memberId, assignment: Buffer.from('A') }],
  });
  expect(sa.errorCode).toBe(ErrorCode.NONE);
  return a.memberId;
}

describe('JoinGroup', () => {
  it('answers a new v4+ member MEMBER_ID_REQUIRED with a client-prefixed id, then admits it', async () => {
    const { c, clock } = setup();
    const first = await c.joinGroup(req('g', '', { clientId: 'app' }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId, `got ${first.memberId}, want app-<uuid>`).toMatch(/^app-[0-9a-f-]{36}$/);
    expect(c.describeGroup('g').members).toHaveLength(0);
    const second = c.joinGroup(req('g', first.memberId, { clientId: 'app' }));
    await clock.advance(0);
    const r = await second;
    expect(r).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      leader: first.memberId,
      memberId: first.memberId,
      protocolName: 'range',
      protocolType: 'consumer',
    });
    expect(r.members.map((m) => m.memberId)).toEqual([first.memberId]);
    expect(c.describeGroup('g').state).toBe('CompletingRebalance');
  });

  it('admits a member directly below v4', async () => {
    const { c, clock } = setup();
    const p = c.joinGroup(req('g', '', { requireKnownMemberId: false }));
    await clock.advance(0);
    const r = await p;
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.memberId).toMatch(/^client-/);
    expect(r.generationId).toBe(1);
  });

  it('a known member id in an unknown group is UNKNOWN_MEMBER_ID', async () => {
    const { c } = setup();
    const r = await c.joinGroup(req('nope', 'client-stale'));
    expect(r.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('rejects session timeouts outside the broker bounds and empty group ids', async () => {
    const { c } = setup();
    expect((await c.joinGroup(req('g', '', { sessionTimeoutMs: 100 }))).errorCode).toBe(
      ErrorCode.INVALID_SESSION_TIMEOUT,
    );
    expect((await c.joinGroup(req('', ''))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
  });

  it('two members: leader gets every member metadata, follower an empty list; both share a generation', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    // B arrives: the group rebalances and waits for A to rejoin.
    const b = await joinNew(c, 'g', {
      clientId: 'b',
      protocols: [{ name: 'range', metadata: Buffer.from('mb') }],
    });
    expect(c.describeGroup('g').state).toBe('PreparingRebalance');
    let bDone = false;
    void b.answer.then(() => (bDone = true));
    await flush();
    expect(bDone, 'B answered before A rejoined').toBe(false);
    const aAgain = c.joinGroup(req('g', a, { protocols: [{ name: 'range', metadata: Buffer.from('ma') }] }));
    const [ja, jb] = await Promise.all([aAgain, b.answer]);
    expect(ja.generationId).toBe(2);
    expect(jb.generationId).toBe(2);
    expect(ja.leader).toBe(a);
    expect(jb.leader).toBe(a);
    expect(ja.members.map((m) => [m.memberId, m.metadata.toString()])).toEqual([
      [a, 'ma'],
      [b.memberId, 'mb'],
    ]);
    expect(jb.members, 'follower got members').toEqual([]);
  });

  it('removes members that do not rejoin within the rebalance timeout', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    const b = await joinNew(c, 'g');
    // A heartbeats (and is told to rejoin) but never rejoins; the rebalance ends after the
    // rebalance timeout without it.
    for (let t = 0; t < REBALANCE; t += SESSION / 2) {
      expect(c.heartbeat({ groupId: 'g', memberId: a, generationId: 1, groupInstanceId: null })).toBe(
        ErrorCode.REBALANCE_IN_PROGRESS,
      );
      await clock.advance(SESSION / 2);
    }
    const jb = await b.answer;
    expect(jb.errorCode).toBe(ErrorCode.NONE);
    expect(jb.leader, 'leadership should pass to B').toBe(b.memberId);
    const ids = c.describeGroup('g').members.map((m) => m.memberId);
    expect(ids, `got ${ids.join(',')}, want only B (A=${a})`).toEqual([b.memberId]);
  });

  it('INCONSISTENT_GROUP_PROTOCOL for a different protocol type or no shared protocol', async () => {
    const { c, clock } = setup();
    await stableWithOne(c, clock, 'g');
    expect((await c.joinGroup(req('g', '', { protocolType: 'connect' }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    const other = [{ name: 'roundrobin', metadata: Buffer.alloc(0) }];
    expect((await c.joinGroup(req('g', '', { protocols: other }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
  });

  it('selects the protocol most members prefer among those all support', async () => {
    const { c, clock } = setup();
    const m = (n: string): { name: string; metadata: Buffer } => ({ name: n, metadata: Buffer.alloc(0) });
    const p1 = c.joinGroup(
      req('g', '', { requireKnownMemberId: false, protocols: [m('range'), m('sticky')] }),
    );
    const p2 = c.joinGroup(
      req('g', '', { requireKnownMemberId: false, protocols: [m('sticky'), m('range')] }),
    );
    const p3 = c.joinGroup(
      req('g', '', { requireKnownMemberId: false, protocols: [m('sticky'), m('rr'), m('range')] }),
    );
    await clock.advance(0);
    const rs = await Promise.all([p1, p2, p3]);
    expect(rs.map((r) => r.protocolName)).toEqual(['sticky', 'sticky', 'sticky']);
  });

  it('waits group.initial.rebalance.delay.ms for a new group and extends it per newcomer', async () => {
    const clock = new FakeClock();
    const c = new GroupCoordinator({ clock, initialRebalanceDelayMs: 3000 });
    const p1 = c.joinGroup(req('g', '', { requireKnownMemberId: false }));
    await clock.advance(2000);
    const p2 = c.joinGroup(req('g', '', { requireKnownMemberId: false }));
    await clock.advance(1500); // first delay over, but a newcomer arrived: one more delay
    expect(c.describeGroup('g').state).toBe('PreparingRebalance');
    await clock.advance(3000);
    const [r1, r2] = await Promise.all([p1, p2]);
    expect([r1.generationId, r2.generationId]).toEqual([1, 1]);
  });
});

describe('SyncGroup', () => {
  it('followers wait for the leader; members the leader left out get empty bytes', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    const b = await joinNew(c, 'g');
    const d = await joinNew(c, 'g');
    const ja = await c.joinGroup(req('g', a));
    const jb = await b.answer;
    await d.answer;
    const gen = ja.generationId;
    const sync = (memberId: string, assignments: { memberId: string; assignment: Buffer }[] = []) =>
      c.syncGroup({
        groupId: 'g',
        memberId,
        generationId: gen,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments,
      });
    const sb = sync(b.memberId);
    const sd = sync(d.memberId);
    let bDone = false;
    void sb.then(() => (bDone = true));
    await flush();
    expect(bDone, 'follower answered before the leader synced').toBe(false);
    expect(c.describeGroup('g').state).toBe('CompletingRebalance');
    const sa = await sync(a, [
      { memberId: a, assignment: Buffer.from('for-a') },
      { memberId: b.memberId, assignment: Buffer.from('for-b') },
    ]);
    expect(sa.assignment.toString()).toBe('for-a');
    expect((await sb).assignment.toString()).toBe('for-b');
    const rd = await sd;
    expect(rd.errorCode).toBe(ErrorCode.NONE);
    expect(rd.assignment.length, `got ${rd.assignment.length} bytes for D, want 0`).toBe(0);
    expect(jb.generationId).toBe(gen);
    expect(c.describeGroup('g').state).toBe('Stable');
  });

  it('UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION and REBALANCE_IN_PROGRESS', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    const base = {
      groupId: 'g',
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [],
    };
    expect((await c.syncGroup({ ...base, memberId: 'who', generationId: 1 })).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect((await c.syncGroup({ ...base, memberId: a, generationId: 7 })).errorCode).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
    await joinNew(c, 'g');
    expect((await c.syncGroup({ ...base, memberId: a, generationId: 1 })).errorCode).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
  });
});

describe('Heartbeat, session timeout and LeaveGroup', () => {
  const hb = (c: GroupCoordinator, memberId: string, generationId: number): number =>
    c.heartbeat({ groupId: 'g', memberId, generationId, groupInstanceId: null });

  it('heartbeat answers REBALANCE_IN_PROGRESS while the group prepares a rebalance', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    expect(hb(c, a, 1)).toBe(ErrorCode.NONE);
    expect(hb(c, a, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(hb(c, 'ghost', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    await joinNew(c, 'g');
    expect(hb(c, a, 1), 'heartbeat during PreparingRebalance').toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('heartbeats keep a member alive; silence past the session timeout evicts it and rebalances', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    // B joins and the group settles with two members.
    const b = await joinNew(c, 'g');
    const ja = await c.joinGroup(req('g', a));
    await b.answer;
    const gen = ja.generationId;
    const base = {
      groupId: 'g',
      generationId: gen,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
    };
    const sb = c.syncGroup({ ...base, memberId: b.memberId, assignments: [] });
    await c.syncGroup({ ...base, memberId: a, assignments: [] });
    await sb;
    await clock.advance(SESSION / 2);
    expect(hb(c, a, gen)).toBe(ErrorCode.NONE);
    expect(hb(c, b.memberId, gen)).toBe(ErrorCode.NONE);
    await clock.advance(SESSION / 2);
    expect(hb(c, a, gen)).toBe(ErrorCode.NONE); // from here on only A heartbeats
    await clock.advance(SESSION / 2 - 1);
    expect(hb(c, a, gen)).toBe(ErrorCode.NONE);
    expect(c.describeGroup('g').members, 'B evicted before its session ran out').toHaveLength(2);
    await clock.advance(1);
    // B has been silent for more than its session timeout.
    const d = c.describeGroup('g');
    expect(
      d.members.map((m) => m.memberId),
      'B should be evicted',
    ).toEqual([a]);
    expect(d.state).toBe('PreparingRebalance');
    expect(hb(c, a, gen)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = await c.joinGroup(req('g', a));
    expect(rejoin.generationId).toBe(gen + 1);
    expect(rejoin.members.map((m) => m.memberId)).toEqual([a]);
  });

  it('evicts a pending KIP-394 member that never comes back', async () => {
    const { c, clock } = setup();
    await stableWithOne(c, clock, 'g');
    await c.joinGroup(req('g', '')); // MEMBER_ID_REQUIRED, never followed up
    await clock.advance(SESSION + 1);
    expect(c.describeGroup('g').members).toHaveLength(0); // A did not heartbeat either
  });

  it('LeaveGroup removes members (batch) and rebalances; the last one out leaves the group Empty', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    const b = await joinNew(c, 'g');
    await c.joinGroup(req('g', a));
    await b.answer;
    const res = c.leaveGroup('g', [
      { memberId: b.memberId, groupInstanceId: null },
      { memberId: 'ghost', groupInstanceId: null },
    ]);
    expect(res.errorCode).toBe(ErrorCode.NONE);
    expect(res.members.map((m) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(c.describeGroup('g').state).toBe('PreparingRebalance');
    const again = await c.joinGroup(req('g', a));
    expect(again.members.map((m) => m.memberId)).toEqual([a]);
    c.leaveGroup('g', [{ memberId: a, groupInstanceId: null }]);
    const d = c.describeGroup('g');
    expect(d.state, `got ${d.state}, want Empty`).toBe('Empty');
    expect(d.protocolType).toBe('consumer');
  });

  it('a member leaving while others wait in JoinGroup completes their join', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    const b = await joinNew(c, 'g');
    c.leaveGroup('g', [{ memberId: a, groupInstanceId: null }]);
    const jb = await b.answer;
    expect(jb.errorCode).toBe(ErrorCode.NONE);
    expect(jb.leader).toBe(b.memberId);
  });

  it('close() answers waiting requests and stops timers', async () => {
    const { c, clock } = setup();
    await stableWithOne(c, clock, 'g');
    const b = await joinNew(c, 'g');
    await c.close();
    expect((await b.answer).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(clock.pending, 'timers left').toBe(0);
  });
});

describe('static membership (minimal)', () => {
  it('joins without KIP-394, and a returning instance fences its old member id', async () => {
    const { c, clock } = setup();
    const p1 = c.joinGroup(req('g', '', { groupInstanceId: 'i-1' }));
    await clock.advance(0);
    const j1 = await p1;
    expect(j1.errorCode, 'static members skip MEMBER_ID_REQUIRED').toBe(ErrorCode.NONE);
    const p2 = c.joinGroup(req('g', '', { groupInstanceId: 'i-1' }));
    const hbOld = c.heartbeat({
      groupId: 'g',
      memberId: j1.memberId,
      generationId: 1,
      groupInstanceId: 'i-1',
    });
    expect(hbOld, 'old member id of a replaced instance').toBe(ErrorCode.FENCED_INSTANCE_ID);
    await clock.advance(0);
    const j2 = await p2;
    expect(j2.errorCode).toBe(ErrorCode.NONE);
    expect(j2.memberId).not.toBe(j1.memberId);
    expect(c.describeGroup('g').members.map((m) => m.groupInstanceId)).toEqual(['i-1']);
    const left = c.leaveGroup('g', [{ memberId: '', groupInstanceId: 'i-1' }]);
    expect(left.members[0]?.errorCode).toBe(ErrorCode.NONE);
    expect(c.describeGroup('g').state).toBe('Empty');
  });
});

describe('DescribeGroups, ListGroups, DeleteGroups', () => {
  it('describes Stable groups with protocol, metadata and assignment; unknown groups as Dead', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'g');
    const d = c.describeGroup('g');
    expect(d).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'range' });
    expect(d.members[0]?.memberId).toBe(a);
    expect(d.members[0]?.assignment.toString()).toBe('A');
    expect(d.members[0]?.clientHost).toBe('/127.0.0.1');
    expect(c.describeGroup('missing')).toMatchObject({
      state: 'Dead',
      errorCode: ErrorCode.NONE,
      members: [],
    });
  });

  it('lists groups with a state filter and deletes only Empty ones', async () => {
    const { c, clock } = setup();
    const a = await stableWithOne(c, clock, 'live');
    await c.commitOffsets({
      groupId: 'idle',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: [],
    });
    await c.commitOffsets({
      groupId: 'idle',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      offsets: [{ topic: 't', partition: 0, offset: 5n, leaderEpoch: -1, metadata: null }],
    });
    const names = (s?: string[]) =>
      c
        .listGroups(s)
        .map((g) => g.groupId)
        .sort();
    expect(names()).toEqual(['idle', 'live']);
    expect(names(['stable'])).toEqual(['live']);
    expect(names(['Empty'])).toEqual(['idle']);
    const res = await c.deleteGroups(['live', 'idle', 'missing']);
    expect(res.map((r) => r.errorCode)).toEqual([
      ErrorCode.NON_EMPTY_GROUP,
      ErrorCode.NONE,
      ErrorCode.GROUP_ID_NOT_FOUND,
    ]);
    expect(c.fetchOffsets('idle', null).offsets).toEqual([]);
    expect(names()).toEqual(['live']);
    expect(a).toBeTruthy();
  });
});
