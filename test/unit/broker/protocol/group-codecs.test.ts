// The group API codecs against kafkajs 2.2.4's own protocol modules, for every version both
// implement: kafkajs encodes a request, our decoder must read all of it into the right object;
// we encode a response, kafkajs's decoder must read it back to the same values.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { handlerFor } from '../../../../src/lib/broker/handlers/index.js';
import { Decoder } from '../../../../src/lib/broker/protocol/decoder.js';
import { Encoder } from '../../../../src/lib/broker/protocol/encoder.js';

const require = createRequire(import.meta.url);

interface Case {
  apiKey: number;
  folder: string;
  /** kafkajs request arguments (a superset of what each version takes). */
  args: unknown;
  /** What our decoder must produce (matched as a subset). */
  want: object;
  /** Our response object, and what kafkajs must decode from it (subset). */
  res: object;
  back: (v: number) => object;
}

const meta = Buffer.from([0, 1, 0, 0, 0, 1, 0, 1, 116]);
const cases: Case[] = [
  {
    apiKey: 10,
    folder: 'findCoordinator',
    args: { groupId: 'g1', coordinatorKey: 'g1', coordinatorType: 0 },
    want: { keyType: 0, keys: ['g1'] },
    res: {
      throttleTimeMs: 0,
      coordinators: [{ key: 'g1', nodeId: 1, host: '127.0.0.1', port: 9, errorCode: 0, errorMessage: null }],
    },
    back: () => ({ errorCode: 0, coordinator: { nodeId: 1, host: '127.0.0.1', port: 9 } }),
  },
  {
    apiKey: 11,
    folder: 'joinGroup',
    args: {
      groupId: 'g1',
      sessionTimeout: 30000,
      rebalanceTimeout: 60000,
      memberId: 'm-1',
      groupInstanceId: null,
      protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner', metadata: meta }],
    },
    want: {
      groupId: 'g1',
      sessionTimeoutMs: 30000,
      memberId: 'm-1',
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: meta }],
    },
    res: {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 3,
      protocolType: 'consumer',
      protocolName: 'RoundRobinAssigner',
      leader: 'm-1',
      skipAssignment: false,
      memberId: 'm-1',
      members: [{ memberId: 'm-1', groupInstanceId: null, metadata: meta }],
    },
    back: () => ({
      errorCode: 0,
      generationId: 3,
      groupProtocol: 'RoundRobinAssigner',
      leaderId: 'm-1',
      memberId: 'm-1',
      members: [{ memberId: 'm-1', memberMetadata: meta }],
    }),
  },
  {
    apiKey: 12,
    folder: 'heartbeat',
    args: { groupId: 'g1', groupGenerationId: 3, memberId: 'm-1', groupInstanceId: null },
    want: { groupId: 'g1', generationId: 3, memberId: 'm-1', groupInstanceId: null },
    res: { throttleTimeMs: 0, errorCode: 27 },
    back: () => ({ errorCode: 27 }),
  },
  {
    apiKey: 13,
    folder: 'leaveGroup',
    args: { groupId: 'g1', memberId: 'm-1', members: [{ memberId: 'm-1' }] },
    want: { groupId: 'g1', members: [{ memberId: 'm-1', groupInstanceId: null }] },
    res: {
      throttleTimeMs: 0,
      errorCode: 0,
      members: [{ memberId: 'm-1', groupInstanceId: null, errorCode: 0 }],
    },
    back: (v) => (v >= 3 ? { errorCode: 0, members: [{ memberId: 'm-1', errorCode: 0 }] } : { errorCode: 0 }),
  },
  {
    apiKey: 14,
    folder: 'syncGroup',
    args: {
      groupId: 'g1',
      generationId: 3,
      memberId: 'm-1',
      groupAssignment: [{ memberId: 'm-1', memberAssignment: Buffer.from('abc') }],
    },
    want: {
      groupId: 'g1',
      generationId: 3,
      memberId: 'm-1',
      assignments: [{ memberId: 'm-1', assignment: Buffer.from('abc') }],
    },
    res: {
      throttleTimeMs: 0,
      errorCode: 0,
      protocolType: null,
      protocolName: null,
      assignment: Buffer.from('xyz'),
    },
    back: () => ({ errorCode: 0, memberAssignment: Buffer.from('xyz') }),
  },
  {
    apiKey: 15,
    folder: 'describeGroups',
    args: { groupIds: ['g1', 'g2'] },
    want: { groups: ['g1', 'g2'], includeAuthorizedOperations: false },
    res: {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          groupId: 'g1',
          groupState: 'Stable',
          protocolType: 'consumer',
          protocolData: 'RoundRobinAssigner',
          members: [
            {
              memberId: 'm-1',
              groupInstanceId: null,
              clientId: 'c',
              clientHost: '/127.0.0.1',
              memberMetadata: meta,
              memberAssignment: Buffer.from('as'),
            },
          ],
          authorizedOperations: -2147483648,
        },
      ],
    },
    back: () => ({
      groups: [
        {
          groupId: 'g1',
          state: 'Stable',
          protocolType: 'consumer',
          protocol: 'RoundRobinAssigner',
          members: [{ memberId: 'm-1', clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: meta }],
        },
      ],
    }),
  },
  {
    apiKey: 16,
    folder: 'listGroups',
    args: undefined,
    want: { statesFilter: [], typesFilter: [] },
    res: {
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [{ groupId: 'g1', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }],
    },
    back: () => ({ errorCode: 0, groups: [{ groupId: 'g1', protocolType: 'consumer' }] }),
  },
  {
    apiKey: 8,
    folder: 'offsetCommit',
    args: {
      groupId: 'g1',
      groupGenerationId: 3,
      memberId: 'm-1',
      retentionTime: -1,
      topics: [{ topic: 't', partitions: [{ partition: 2, offset: '42', metadata: 'md' }] }],
    },
    want: {
      groupId: 'g1',
      generationIdOrMemberEpoch: 3,
      memberId: 'm-1',
      topics: [
        { name: 't', partitions: [{ partitionIndex: 2, committedOffset: 42n, committedMetadata: 'md' }] },
      ],
    },
    res: { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 2, errorCode: 22 }] }] },
    back: () => ({ responses: [{ topic: 't', partitions: [{ partition: 2, errorCode: 22 }] }] }),
  },
  {
    apiKey: 9,
    folder: 'offsetFetch',
    args: { groupId: 'g1', topics: [{ topic: 't', partitions: [{ partition: 0 }, { partition: 1 }] }] },
    want: { groups: [{ groupId: 'g1', topics: [{ name: 't', partitionIndexes: [0, 1] }] }] },
    res: {
      throttleTimeMs: 0,
      groups: [
        {
          groupId: 'g1',
          errorCode: 0,
          topics: [
            {
              name: 't',
              partitions: [
                {
                  partitionIndex: 0,
                  committedOffset: 7n,
                  committedLeaderEpoch: -1,
                  metadata: 'm',
                  errorCode: 0,
                },
                {
                  partitionIndex: 1,
                  committedOffset: -1n,
                  committedLeaderEpoch: -1,
                  metadata: '',
                  errorCode: 0,
                },
              ],
            },
          ],
        },
      ],
    },
    back: () => ({
      responses: [
        {
          topic: 't',
          partitions: [
            { partition: 0, offset: '7', metadata: 'm', errorCode: 0 },
            { partition: 1, offset: '-1', metadata: '', errorCode: 0 },
          ],
        },
      ],
    }),
  },
  {
    apiKey: 42,
    folder: 'deleteGroups',
    args: ['g1', 'g2'],
    want: { groupsNames: ['g1', 'g2'] },
    res: {
      throttleTimeMs: 0,
      results: [
        { groupId: 'g1', errorCode: 0 },
        { groupId: 'g2', errorCode: 68 },
      ],
    },
    back: () => ({
      results: [
        { groupId: 'g1', errorCode: 0 },
        { groupId: 'g2', errorCode: 68 },
      ],
    }),
  },
];

interface KafkajsRequest {
  encode(): Promise<{ buffer: Buffer }> | { buffer: Buffer };
}

const rows = cases.flatMap((c) => {
  const h = handlerFor(c.apiKey);
  if (!h) throw new Error(`no handler for ${c.apiKey}`);
  const versions = (
    require(`kafkajs/src/protocol/requests/${c.folder}/index`) as { versions: string[] }
  ).versions
    .map(Number)
    .filter((v) => v >= h.minVersion && v <= h.maxVersion);
  return versions.map((v) => ({ name: `${c.folder} v${v}`, c, v }));
});

describe('group codecs against kafkajs 2.2.4', () => {
  it('covers the versions kafkajs uses', () => {
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'joinGroup v5',
        'offsetCommit v5',
        'offsetFetch v4',
        'syncGroup v3',
        'heartbeat v3',
      ]),
    );
  });

  it.each(rows)('$name', async ({ c, v }) => {
    const h = handlerFor(c.apiKey);
    if (!h) throw new Error('no handler');
    const make = require(`kafkajs/src/protocol/requests/${c.folder}/v${v}/request`) as (
      a: unknown,
    ) => KafkajsRequest;
    const bytes = (await make(c.args).encode()).buffer;
    const d = new Decoder(bytes);
    const req: unknown = h.decode(d, v);
    expect(d.remaining(), 'request bytes left unread').toBe(0);
    expect(req).toMatchObject(c.want);

    const e = new Encoder();
    h.encode(e, c.res, v);
    const mod = require(`kafkajs/src/protocol/requests/${c.folder}/v${v}/response`) as {
      decode(b: Buffer): Promise<unknown>;
    };
    expect(await mod.decode(e.toBuffer())).toMatchObject(c.back(v));
  });
});
