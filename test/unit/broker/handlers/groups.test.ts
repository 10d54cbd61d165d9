// Group API handlers on an in-memory log and a real coordinator with a fake clock: the parts the
// handlers add on top of the coordinator (topic checks, batching, version-dependent shapes), and
// a wire round trip of the flexible versions only the Java clients send.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BrokerContext } from '../../../../src/lib/broker/context.js';
import { GroupCoordinator } from '../../../../src/lib/broker/groups/coordinator.js';
import { encodeSubscription } from '../../../../src/lib/broker/groups/consumer-protocol.js';
import { offsetCommitHandler } from '../../../../src/lib/broker/handlers/08-offset-commit.js';
import { offsetFetchHandler } from '../../../../src/lib/broker/handlers/09-offset-fetch.js';
import { findCoordinatorHandler } from '../../../../src/lib/broker/handlers/10-find-coordinator.js';
import { joinGroupHandler } from '../../../../src/lib/broker/handlers/11-join-group.js';
import { leaveGroupHandler } from '../../../../src/lib/broker/handlers/13-leave-group.js';
import { describeGroupsHandler } from '../../../../src/lib/broker/handlers/15-describe-groups.js';
import { listGroupsHandler } from '../../../../src/lib/broker/handlers/16-list-groups.js';
import { offsetDeleteHandler } from '../../../../src/lib/broker/handlers/47-offset-delete.js';
import { Decoder } from '../../../../src/lib/broker/protocol/decoder.js';
import { Encoder } from '../../../../src/lib/broker/protocol/encoder.js';
import { ErrorCode } from '../../../../src/lib/broker/protocol/error-codes.js';
import { MemoryLog } from '../support/memory-log.js';
import { FakeClock } from '../groups/fake-clock.js';

let ctx: BrokerContext;
let clock: FakeClock;
const conn = { id: 1, clientId: 'app', clientHost: '::ffff:127.0.0.1' };

beforeEach(() => {
  const log = new MemoryLog();
  log.createTopic('t', 2, {});
  clock = new FakeClock();
  ctx = {
    log,
    groups: new GroupCoordinator({ clock }),
    clock,
    identity: { nodeId: 1, host: '127.0.0.1', port: 9092, clusterId: 'c' },
  };
});

const commit = (groupId: string, topics: { name: string; partitions: number[] }[], offset = 5n) =>
  offsetCommitHandler.handle(
    {
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p,
          committedOffset: offset,
          committedLeaderEpoch: -1,
          committedMetadata: null,
        })),
      })),
    },
    9,
    ctx,
    conn,
  );

describe('group handlers', () => {
  it('FindCoordinator answers us for every group key (v4 batch) and not-available for transactions', async () => {
    const r = await findCoordinatorHandler.handle({ keyType: 0, keys: ['a', 'b'] }, 4, ctx, conn);
    expect(r.coordinators.map((c) => [c.key, c.nodeId, c.host, c.port, c.errorCode])).toEqual([
      ['a', 1, '127.0.0.1', 9092, 0],
      ['b', 1, '127.0.0.1', 9092, 0],
    ]);
    const tx = await findCoordinatorHandler.handle({ keyType: 1, keys: ['tx'] }, 2, ctx, conn);
    expect(tx.coordinators[0]?.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  it('OffsetCommit: unknown topics answer UNKNOWN_TOPIC_OR_PARTITION, in request order', async () => {
    const r = await commit('g', [
      { name: 'nope', partitions: [0] },
      { name: 't', partitions: [1, 0] },
    ]);
    expect(r.topics).toEqual([
      { name: 'nope', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
      {
        name: 't',
        partitions: [
          { partitionIndex: 1, errorCode: 0 },
          { partitionIndex: 0, errorCode: 0 },
        ],
      },
    ]);
  });

  it('OffsetFetch v8 answers several groups, null topics meaning all committed', async () => {
    await commit('g1', [{ name: 't', partitions: [0, 1] }], 7n);
    const r = await offsetFetchHandler.handle(
      {
        groups: [
          { groupId: 'g1', memberId: null, memberEpoch: -1, topics: null },
          { groupId: 'g2', memberId: null, memberEpoch: -1, topics: [{ name: 't', partitionIndexes: [0] }] },
        ],
        requireStable: true,
      },
      8,
      ctx,
      conn,
    );
    const flat = r.groups.map((g) => [
      g.groupId,
      g.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partitionIndex}@${p.committedOffset}`)),
    ]);
    expect(flat).toEqual([
      ['g1', ['t-0@7', 't-1@7']],
      ['g2', ['t-0@-1']],
    ]);
  });

  it('JoinGroup v4+ asks for a member id; the host is shown as Kafka shows it', async () => {
    const join = (memberId: string) =>
      joinGroupHandler.handle(
        {
          groupId: 'g',
          sessionTimeoutMs: 10_000,
          rebalanceTimeoutMs: 10_000,
          memberId,
          groupInstanceId: null,
          protocolType: 'consumer',
          protocols: [{ name: 'range', metadata: encodeSubscription(['t']) }],
          reason: null,
        },
        9,
        ctx,
        conn,
      );
    const first = await join('');
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    const second = join(first.memberId);
    await clock.advance(0);
    expect((await second).errorCode).toBe(0);
    const d = await describeGroupsHandler.handle(
      { groups: ['g', ''], includeAuthorizedOperations: true },
      5,
      ctx,
      conn,
    );
    expect(d.groups[0]?.members[0]).toMatchObject({ clientId: 'app', clientHost: '/127.0.0.1' });
    expect(d.groups[0]?.authorizedOperations).toBe((1 << 3) | (1 << 6) | (1 << 8));
    expect(d.groups[1]?.errorCode).toBe(ErrorCode.INVALID_GROUP_ID);

    const listed = await listGroupsHandler.handle(
      { statesFilter: ['completingrebalance'], typesFilter: [] },
      5,
      ctx,
      conn,
    );
    expect(listed.groups.map((g) => [g.groupId, g.groupState, g.groupType])).toEqual([
      ['g', 'CompletingRebalance', 'classic'],
    ]);
    const consumerOnly = await listGroupsHandler.handle(
      { statesFilter: [], typesFilter: ['consumer'] },
      5,
      ctx,
      conn,
    );
    expect(consumerOnly.groups).toEqual([]);

    const off = await offsetDeleteHandler.handle(
      { groupId: 'g', topics: [{ name: 't', partitions: [0] }] },
      0,
      ctx,
      conn,
    );
    expect(off.errorCode, 'OffsetDelete on a consumer group mid-rebalance').toBe(0);
    expect(off.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
  });

  it('LeaveGroup below v3 reports the member error at the top level', async () => {
    await commit('g', [{ name: 't', partitions: [0] }]);
    const r = await leaveGroupHandler.handle(
      { groupId: 'g', members: [{ memberId: 'ghost', groupInstanceId: null, reason: null }] },
      1,
      ctx,
      conn,
    );
    expect(r.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('flexible wire round trip', () => {
  /** Encodes a request by the JSON definition's field order (written out here, independently). */
  it('JoinGroup v9 request decodes; the response carries nullable protocol type/name', () => {
    const e = new Encoder();
    e.compactString('g').int32(45000).int32(300000).compactString('').compactNullableString(null);
    e.compactString('consumer');
    e.unsignedVarint(2)
      .compactString('range')
      .compactBytes(Buffer.from([1, 2]))
      .taggedFields();
    e.compactNullableString('rejoin').taggedFields();
    const d = new Decoder(e.toBuffer());
    const req = joinGroupHandler.decode(d, 9);
    expect(d.remaining()).toBe(0);
    expect(req).toEqual({
      groupId: 'g',
      sessionTimeoutMs: 45000,
      rebalanceTimeoutMs: 300000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([1, 2]) }],
      reason: 'rejoin',
    });
    const out = new Encoder();
    joinGroupHandler.encode(
      out,
      {
        throttleTimeMs: 0,
        errorCode: 79,
        generationId: -1,
        protocolType: null,
        protocolName: null,
        leader: '',
        skipAssignment: false,
        memberId: 'm',
        members: [],
      },
      9,
    );
    // throttle(4) error(2) generation(4) type(null=0) name(null=0) leader('') skip(0) member('m') members([]) tags
    expect(out.toBuffer().toString('hex')).toBe(
      '00000000' + '004f' + 'ffffffff' + '00' + '00' + '01' + '00' + '026d' + '01' + '00',
    );
  });

  it('OffsetFetch v9 request with two groups decodes to its last byte', () => {
    const e = new Encoder();
    e.unsignedVarint(3);
    e.compactString('a').compactNullableString(null).int32(-1).unsignedVarint(0).taggedFields();
    e.compactString('b').compactNullableString('m').int32(4);
    e.unsignedVarint(2).compactString('t').unsignedVarint(3).int32(0).int32(1).taggedFields();
    e.taggedFields();
    e.boolean(true).taggedFields();
    const d = new Decoder(e.toBuffer());
    const req = offsetFetchHandler.decode(d, 9);
    expect(d.remaining()).toBe(0);
    expect(req).toEqual({
      groups: [
        { groupId: 'a', memberId: null, memberEpoch: -1, topics: null },
        { groupId: 'b', memberId: 'm', memberEpoch: 4, topics: [{ name: 't', partitionIndexes: [0, 1] }] },
      ],
      requireStable: true,
    });
  });
});
