// Real group API requests of kcat -G (librdkafka 2.0.2) and of Apache Kafka 4.4's Java consumer
// and consumer-groups tool, captured by fixtures/capture-groups.ts: every one must decode to its
// last byte, and the interesting ones (the flexible versions kafkajs never sends) to the exact
// objects the tools sent.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handlerFor } from '../../../../src/lib/broker/handlers/index.js';
import { Decoder } from '../../../../src/lib/broker/protocol/decoder.js';
import { readRequestHeader } from '../../../../src/lib/broker/server/request-header.js';

interface Frame {
  step: string;
  apiKey: number;
  apiVersion: number;
  request: string;
  response: string | null;
}

const frames = JSON.parse(
  readFileSync(new URL('../fixtures/groups-peers.json', import.meta.url), 'utf8'),
) as Frame[];

function decode(f: Frame): { clientId: string | null; body: unknown; left: number } {
  const d = new Decoder(Buffer.from(f.request, 'hex'));
  const header = readRequestHeader(d);
  const h = handlerFor(header.apiKey);
  if (!h) throw new Error(`no handler for key ${header.apiKey}`);
  d.taggedFields(header.apiVersion >= h.flexibleFrom);
  return { clientId: header.clientId, body: h.decode(d, header.apiVersion), left: d.remaining() };
}

function find(step: string, apiKey: number, nth = 0): Frame {
  const f = frames.filter((x) => x.step === step && x.apiKey === apiKey)[nth];
  if (!f) throw new Error(`no fixture ${step} key ${apiKey} #${nth}`);
  return f;
}

const any = expect.any(Buffer) as Buffer;

describe('captured group requests', () => {
  it('cover the versions the peers use', () => {
    const seen = new Set(frames.map((f) => `${f.apiKey}v${f.apiVersion}`));
    for (const want of [
      '10v2',
      '11v5',
      '14v3',
      '12v3',
      '8v7',
      '13v1',
      '10v6',
      '11v9',
      '14v5',
      '9v9',
      '8v9',
      '13v5',
      '15v5',
      '16v5',
      '42v2',
      '47v0',
    ]) {
      expect(seen.has(want), `no captured frame for ${want}`).toBe(true);
    }
  });

  it.each(frames.map((f, i) => ({ ...f, i })))('#$i $step key $apiKey v$apiVersion decodes whole', (f) => {
    expect(decode(f).left, 'bytes left after decoding').toBe(0);
  });

  const cases: { name: string; frame: () => Frame; want: unknown }[] = [
    {
      name: 'kcat JoinGroup v5 (first join, no member id)',
      frame: () => find('kcat-group', 11, 0),
      want: {
        groupId: 'kc-g',
        sessionTimeoutMs: 45000,
        rebalanceTimeoutMs: 300000,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [
          { name: 'range', metadata: any },
          { name: 'roundrobin', metadata: any },
        ],
        reason: null,
      },
    },
    {
      name: 'Java FindCoordinator v6 (batched keys)',
      frame: () => find('java-consumer-group', 10),
      want: { keyType: 0, keys: ['jv-g'] },
    },
    {
      name: 'Java JoinGroup v9 rejoin with its member id and a reason',
      frame: () => find('java-consumer-group', 11, 1),
      want: expect.objectContaining({
        groupId: 'jv-g',
        memberId: expect.stringMatching(/^console-consumer-/) as string,
        protocols: [
          { name: 'range', metadata: any },
          { name: 'cooperative-sticky', metadata: any },
        ],
        reason: expect.stringContaining('re-join') as string,
      }),
    },
    {
      name: 'Java SyncGroup v5 (leader, with protocol type and name)',
      frame: () => find('java-consumer-group', 14),
      want: expect.objectContaining({ generationId: 1, protocolType: 'consumer', protocolName: 'range' }),
    },
    {
      name: 'Java OffsetFetch v9 (one group, two partitions, require stable)',
      frame: () => find('java-consumer-group', 9),
      want: {
        groups: [
          {
            groupId: 'jv-g',
            memberId: null,
            memberEpoch: -1,
            topics: [{ name: 'cg', partitionIndexes: [1, 0] }],
          },
        ],
        requireStable: true,
      },
    },
    {
      name: 'Java admin OffsetFetch v9 for all topics',
      frame: () => find('java-describe', 9),
      want: {
        groups: [{ groupId: 'jv-g', memberId: null, memberEpoch: -1, topics: null }],
        requireStable: false,
      },
    },
    {
      name: 'Java admin OffsetCommit v9 from --reset-offsets (generation -1, no member)',
      frame: () => find('java-reset', 8),
      want: {
        groupId: 'jv-g',
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [
          {
            name: 'cg',
            partitions: [
              { partitionIndex: 1, committedOffset: 0n, committedLeaderEpoch: -1, committedMetadata: '' },
              { partitionIndex: 0, committedOffset: 0n, committedLeaderEpoch: -1, committedMetadata: '' },
            ],
          },
        ],
      },
    },
    {
      name: 'Java admin ListGroups v5 with a types filter',
      frame: () => find('java-list', 16),
      want: { statesFilter: [], typesFilter: ['Consumer', 'Classic'] },
    },
    {
      name: 'Java LeaveGroup v5 with a reason',
      frame: () => find('java-consumer-group', 13),
      want: {
        groupId: 'jv-g',
        members: [
          {
            memberId: expect.stringMatching(/^console-consumer-/) as string,
            groupInstanceId: null,
            reason: 'the consumer is being closed',
          },
        ],
      },
    },
    {
      name: 'Java admin OffsetDelete v0',
      frame: () => find('java-delete-offsets', 47),
      want: { groupId: 'jv-g', topics: [{ name: 'cg', partitions: [1, 0] }] },
    },
    {
      name: 'Java admin DeleteGroups v2',
      frame: () => find('java-delete', 42),
      want: { groupsNames: ['jv-g'] },
    },
  ];

  it.each(cases)('$name', ({ frame, want }) => {
    expect(decode(frame()).body).toEqual(want);
  });
});
