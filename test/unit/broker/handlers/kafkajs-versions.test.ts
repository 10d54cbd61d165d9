// Every version kafkajs 2.2.4 implements, for every API we share with it: kafkajs encodes the
// request, our codec decodes it, our handler answers (on an in-memory log), our codec encodes,
// and kafkajs's decoder reads the answer. Two independent codecs must agree, version by version.
import { beforeEach, describe, expect, it } from 'vitest';
import { systemClock, type BrokerContext } from '../../../../src/lib/broker/context.js';
import { handlerFor } from '../../../../src/lib/broker/handlers/index.js';
import { Decoder } from '../../../../src/lib/broker/protocol/decoder.js';
import { Encoder } from '../../../../src/lib/broker/protocol/encoder.js';
import { buildRecordBatch } from '../../../../src/lib/broker/protocol/record-batch.js';
import { kafkajsRequest, kafkajsResponse, kafkajsVersions } from '../support/kafkajs-protocol.js';
import { MemoryLog } from '../support/memory-log.js';

let ctx: BrokerContext;

beforeEach(async () => {
  const log = new MemoryLog();
  log.createTopic('vt', 2, {});
  await log.append(
    'vt',
    0,
    buildRecordBatch({ timestamp: 1000n, records: [{ value: 'a' }, { value: 'b' }] }),
    'none',
  );
  await log.append('vt', 0, buildRecordBatch({ timestamp: 2000n, records: [{ value: 'c' }] }), 'none');
  ctx = {
    log,
    groups: { onTopicsDeleted: async () => undefined } as unknown as BrokerContext['groups'],
    clock: systemClock,
    identity: { nodeId: 1, host: '127.0.0.1', port: 9999, clusterId: 'c1' },
  };
});

async function roundTrip(
  apiKey: number,
  version: number,
  args: object,
): Promise<{ req: unknown; res: unknown }> {
  const h = handlerFor(apiKey);
  if (!h) throw new Error(`no handler ${apiKey}`);
  const d = new Decoder(await kafkajsRequest(apiKey, version, args));
  const req: unknown = h.decode(d, version);
  expect(d.remaining(), `v${version}: bytes left after decoding`).toBe(0);
  const out: unknown = await h.handle(req, version, ctx, { id: 1, clientId: 'kafkajs', clientHost: 'test' });
  const e = new Encoder();
  h.encode(e, out, version);
  return { req, res: await kafkajsResponse(apiKey, version, e.toBuffer()) };
}

interface Case {
  name: string;
  apiKey: number;
  args: (v: number) => object;
  check: (req: unknown, res: unknown, v: number) => void;
}

const cases: Case[] = [
  {
    name: 'ApiVersions',
    apiKey: 18,
    args: () => ({}),
    check: (_req, res) => {
      const r = res as { errorCode: number; apiVersions: { apiKey: number }[] };
      expect(r.errorCode).toBe(0);
      expect(r.apiVersions.map((a) => a.apiKey)).toContain(1);
    },
  },
  {
    name: 'Metadata',
    apiKey: 3,
    args: () => ({ topics: ['vt', 'missing'], allowAutoTopicCreation: false }),
    check: (req, res, v) => {
      const q = req as { topics: { name: string }[]; allowAutoTopicCreation: boolean };
      expect(q.topics.map((t) => t.name)).toEqual(['vt', 'missing']);
      expect(q.allowAutoTopicCreation, 'before v4 auto-creation is implied').toBe(v < 4);
      const r = res as {
        brokers: { nodeId: number; port: number }[];
        topicMetadata: { topic: string; topicErrorCode: number; partitionMetadata: unknown[] }[];
      };
      expect(r.brokers).toMatchObject([{ nodeId: 1, port: 9999 }]);
      const vt = r.topicMetadata.find((t) => t.topic === 'vt');
      expect(vt?.partitionMetadata.length).toBe(2);
      const missing = r.topicMetadata.find((t) => t.topic === 'missing');
      // v0-v3 imply auto-creation, so the unknown topic is created (Kafka does the same).
      expect(missing?.topicErrorCode).toBe(v < 4 ? 0 : 3);
    },
  },
  {
    name: 'Produce',
    apiKey: 0,
    args: () => ({
      acks: -1,
      timeout: 1000,
      compression: 0,
      topicData: [
        {
          topic: 'vt',
          partitions: [{ partition: 1, messages: [{ key: 'k', value: 'v', timestamp: 5000 }] }],
        },
      ],
    }),
    check: (req, res, v) => {
      const q = req as {
        acks: number;
        topics: { name: string; partitions: { index: number; records: Buffer }[] }[];
      };
      expect(q.acks).toBe(-1);
      expect(q.topics[0]?.partitions[0]?.index).toBe(1);
      const r = res as {
        topics: { topicName: string; partitions: { errorCode: number; baseOffset: string }[] }[];
      };
      // v0-v2 carry magic 0/1 message sets, which we do not store (see 00-produce.ts).
      expect(r.topics[0]?.partitions[0]?.errorCode).toBe(v < 3 ? 43 : 0);
      if (v >= 3) expect(r.topics[0]?.partitions[0]?.baseOffset).toBe('0');
    },
  },
  {
    name: 'Fetch',
    apiKey: 1,
    args: () => ({
      replicaId: -1,
      maxWaitTime: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [
        {
          topic: 'vt',
          partitions: [{ partition: 0, fetchOffset: '1', maxBytes: 1 << 20, logStartOffset: '0' }],
        },
      ],
    }),
    check: (req, res) => {
      const q = req as { topics: { topic: string; partitions: { fetchOffset: bigint }[] }[] };
      expect(q.topics[0]?.partitions[0]?.fetchOffset).toBe(1n);
      const r = res as {
        responses: {
          topicName: string;
          partitions: {
            errorCode: number;
            highWatermark: string;
            messages: { offset: string; value: Buffer }[];
          }[];
        }[];
      };
      const p = r.responses[0]?.partitions[0];
      expect(p?.errorCode).toBe(0);
      expect(p?.highWatermark).toBe('3');
      // Whole batches: the batch holding offset 1 starts at 0; skipping 0 is the consumer's job.
      expect(p?.messages.map((m) => `${m.offset}:${m.value.toString()}`)).toEqual(['0:a', '1:b', '2:c']);
    },
  },
  {
    name: 'ListOffsets',
    apiKey: 2,
    args: () => ({
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          topic: 'vt',
          partitions: [
            { partition: 0, timestamp: -2 },
            { partition: 0, timestamp: -1 },
            { partition: 0, timestamp: 1500 },
          ],
        },
      ],
    }),
    check: (_req, res, v) => {
      const r = res as { responses: { partitions: { offset?: string; offsets?: string[] }[] }[] };
      const got = r.responses[0]?.partitions.map((p) => (v === 0 ? p.offsets?.[0] : p.offset));
      expect(got).toEqual(['0', '3', '2']);
    },
  },
  {
    name: 'CreateTopics',
    apiKey: 19,
    args: () => ({
      topics: [
        {
          topic: 'new1',
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: '1000' }],
        },
        { topic: 'vt', numPartitions: 1, replicationFactor: 1 },
        { topic: 'new2', numPartitions: 1, replicationFactor: 3 },
      ],
      timeout: 1000,
    }),
    check: (_req, res) => {
      const r = res as { topicErrors: { topic: string; errorCode: number }[] };
      expect(r.topicErrors.map((t) => `${t.topic}:${t.errorCode}`).sort()).toEqual([
        'new1:0',
        'new2:38',
        'vt:36',
      ]);
      expect(ctx.log.getTopic('new1')?.partitions).toBe(3);
    },
  },
  {
    name: 'DeleteTopics',
    apiKey: 20,
    args: () => ({ topics: ['vt', 'nope'], timeout: 1000 }),
    check: (_req, res) => {
      const r = res as { topicErrors: { topic: string; errorCode: number }[] };
      expect(r.topicErrors.map((t) => `${t.topic}:${t.errorCode}`).sort()).toEqual(['nope:3', 'vt:0']);
    },
  },
  {
    name: 'DeleteRecords',
    apiKey: 21,
    args: () => ({
      topics: [
        {
          topic: 'vt',
          partitions: [
            { partition: 0, offset: '2' },
            { partition: 1, offset: '5' },
          ],
        },
      ],
      timeout: 1000,
    }),
    check: (_req, res) => {
      const r = res as {
        topics: { partitions: { partition: number; lowWatermark: bigint; errorCode: number }[] }[];
      };
      expect(r.topics[0]?.partitions).toEqual([
        { partition: 0, lowWatermark: 2n, errorCode: 0 },
        { partition: 1, lowWatermark: -1n, errorCode: 1 },
      ]);
    },
  },
  {
    name: 'InitProducerId',
    apiKey: 22,
    args: () => ({ transactionalId: null, transactionTimeout: 1000 }),
    check: (_req, res) => {
      const r = res as { errorCode: number; producerId: string; producerEpoch: number };
      expect(r.errorCode).toBe(0);
      expect(BigInt(r.producerId) >= 0n).toBe(true);
      expect(r.producerEpoch).toBe(0);
    },
  },
  {
    name: 'DescribeConfigs',
    apiKey: 32,
    args: () => ({
      resources: [
        { type: 2, name: 'vt', configNames: ['retention.ms'] },
        { type: 4, name: '1', configNames: ['num.partitions'] },
      ],
      includeSynonyms: true,
    }),
    check: (_req, res) => {
      const r = res as {
        resources: { errorCode: number; configEntries: { configName: string; configValue: string }[] }[];
      };
      expect(r.resources.map((x) => x.errorCode)).toEqual([0, 0]);
      expect(r.resources[0]?.configEntries.map((c) => c.configName)).toContain('retention.ms');
      expect(r.resources[1]?.configEntries).toMatchObject([
        { configName: 'num.partitions', configValue: '1' },
      ]);
    },
  },
  {
    name: 'AlterConfigs',
    apiKey: 33,
    args: () => ({
      resources: [{ type: 2, name: 'vt', configEntries: [{ name: 'retention.ms', value: '5000' }] }],
      validateOnly: false,
    }),
    check: (_req, res) => {
      const r = res as { resources: { errorCode: number }[] };
      expect(r.resources[0]?.errorCode).toBe(0);
      expect(ctx.log.getTopic('vt')?.configs['retention.ms']).toBe('5000');
    },
  },
  {
    name: 'CreatePartitions',
    apiKey: 37,
    args: () => ({
      topicPartitions: [
        { topic: 'vt', count: 4 },
        { topic: 'vt2', count: 2 },
      ],
      timeout: 1000,
    }),
    check: (_req, res) => {
      const r = res as { topicErrors: { topic: string; errorCode: number }[] };
      expect(r.topicErrors.map((t) => `${t.topic}:${t.errorCode}`).sort()).toEqual(['vt2:3', 'vt:0']);
      expect(ctx.log.getTopic('vt')?.partitions).toBe(4);
    },
  },
];

const rows = cases.flatMap((c) => {
  const h = handlerFor(c.apiKey);
  return kafkajsVersions(c.apiKey)
    .filter((v) => h && v >= h.minVersion && v <= h.maxVersion)
    .map((v) => ({ ...c, v }));
});

describe('kafkajs and our codecs agree on every shared version', () => {
  it.each(rows)('$name v$v', async ({ apiKey, args, check, v }) => {
    const { req, res } = await roundTrip(apiKey, v, args(v));
    check(req, res, v);
  });
});
