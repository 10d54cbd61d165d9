// Real kafkajs 2.2.4 frames (captured by fixtures/capture-kafkajs.ts) decoded by our codecs and
// compared whole; our captured answers decoded by kafkajs's own decoders and compared whole.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handlerFor } from '../../../../src/lib/broker/handlers/index.js';
import { Decoder } from '../../../../src/lib/broker/protocol/decoder.js';
import { decodeRecords } from '../../../../src/lib/broker/protocol/record-batch.js';
import { readRequestHeader } from '../../../../src/lib/broker/server/request-header.js';
import { kafkajsResponse } from '../support/kafkajs-protocol.js';

interface Frame {
  step: string;
  apiKey: number;
  apiVersion: number;
  request: string;
  response: string | null;
}

const frames = JSON.parse(
  readFileSync(new URL('../fixtures/kafkajs-2.2.4.json', import.meta.url), 'utf8'),
) as Frame[];

function frame(step: string, apiKey: number): Frame {
  const f = frames.find((x) => x.step === step && x.apiKey === apiKey);
  if (!f) throw new Error(`no fixture for ${step}/${apiKey}`);
  return f;
}

function decodeRequest(f: Frame): { header: unknown; body: unknown } {
  const d = new Decoder(Buffer.from(f.request, 'hex'));
  const header = readRequestHeader(d);
  const h = handlerFor(header.apiKey);
  if (!h) throw new Error(`no handler for ${header.apiKey}`);
  d.taggedFields(header.apiVersion >= h.flexibleFrom);
  const body: unknown = h.decode(d, header.apiVersion);
  expect(d.remaining(), 'bytes left after decoding').toBe(0);
  return { header, body };
}

const requests: { step: string; apiKey: number; want: unknown }[] = [
  { step: 'connect', apiKey: 18, want: { clientSoftwareName: null, clientSoftwareVersion: null } },
  {
    step: 'createTopics',
    apiKey: 3,
    want: { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false },
  },
  {
    step: 'createTopics',
    apiKey: 19,
    want: {
      topics: [
        {
          name: 'fx',
          numPartitions: 2,
          replicationFactor: -1,
          assignments: [],
          configs: [{ name: 'retention.ms', value: '3600000' }],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    },
  },
  {
    step: 'produce',
    apiKey: 3,
    want: {
      topics: [{ topicId: null, name: 'fx' }],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    },
  },
  {
    step: 'initProducerId',
    apiKey: 22,
    want: { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 },
  },
  {
    step: 'listOffsets',
    apiKey: 2,
    want: {
      replicaId: -1,
      isolationLevel: 1,
      topics: [
        {
          name: 'fx',
          partitions: [0, 1].map((p) => ({
            partitionIndex: p,
            currentLeaderEpoch: -1,
            timestamp: -1n,
            maxNumOffsets: 1,
          })),
        },
      ],
      timeoutMs: 0,
    },
  },
  {
    step: 'fetch',
    apiKey: 1,
    want: {
      replicaId: -1,
      maxWaitMs: 10,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 'fx',
          topicId: null,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 0n,
              logStartOffset: -1n,
              partitionMaxBytes: 1048576,
            },
          ],
        },
      ],
      rackId: '',
    },
  },
  {
    step: 'describeConfigs',
    apiKey: 32,
    want: {
      resources: [{ resourceType: 2, resourceName: 'fx', configurationKeys: ['retention.ms'] }],
      includeSynonyms: false,
      includeDocumentation: false,
    },
  },
  {
    step: 'alterConfigs',
    apiKey: 33,
    want: {
      resources: [
        { resourceType: 2, resourceName: 'fx', configs: [{ name: 'retention.ms', value: '7200000' }] },
      ],
      validateOnly: false,
    },
  },
  {
    step: 'createPartitions',
    apiKey: 37,
    want: { topics: [{ name: 'fx', count: 3, assignments: null }], timeoutMs: 5000, validateOnly: false },
  },
  {
    step: 'deleteRecords',
    apiKey: 21,
    want: { topics: [{ name: 'fx', partitions: [{ partitionIndex: 0, offset: 1n }] }], timeoutMs: 5000 },
  },
  { step: 'deleteTopics', apiKey: 20, want: { topics: [{ name: 'fx', topicId: null }], timeoutMs: 5000 } },
];

describe('kafkajs request frames decode to the objects kafkajs was asked to send', () => {
  it.each(requests)('$step key $apiKey', ({ step, apiKey, want }) => {
    const f = frame(step, apiKey);
    const { header, body } = decodeRequest(f);
    expect(header).toMatchObject({ apiKey, apiVersion: f.apiVersion, clientId: 'fixture' });
    expect(body).toEqual(want);
  });

  it.each([
    { step: 'produce', acks: -1, partition: 0, key: 'k1', value: 'v1', ts: 1700000000000n, headers: 1 },
    { step: 'produceGzip', acks: 1, partition: 1, key: null, value: 'v2', ts: 1700000001000n, headers: 0 },
  ])(
    'Produce v7 ($step) carries the batch kafkajs built',
    ({ step, acks, partition, key, value, ts, headers }) => {
      const { body } = decodeRequest(frame(step, 0));
      const req = body as {
        acks: number;
        transactionalId: string | null;
        topics: { name: string; partitions: { index: number; records: Buffer }[] }[];
      };
      expect({ acks: req.acks, transactionalId: req.transactionalId, topic: req.topics[0]?.name }).toEqual({
        acks,
        transactionalId: null,
        topic: 'fx',
      });
      const p = req.topics[0]?.partitions[0];
      expect(p?.index).toBe(partition);
      // The batch stays a slice of the frame; here it is decoded only to show it is intact.
      const records = decodeRecords(p?.records as Buffer);
      expect(records.length).toBe(1);
      const r = records[0] as unknown as {
        key: Buffer | null;
        value: Buffer | null;
        timestamp: bigint;
        headers: unknown[];
      };
      expect({
        key: r.key?.toString() ?? null,
        value: r.value?.toString(),
        ts: r.timestamp,
        h: r.headers.length,
      }).toEqual({
        key,
        value,
        ts,
        h: headers,
      });
    },
  );
});

const responses: { step: string; apiKey: number; want: unknown }[] = [
  {
    step: 'createTopics',
    apiKey: 19,
    want: {
      throttleTime: 0,
      topicErrors: [{ topic: 'fx', errorCode: 0, errorMessage: null }],
      clientSideThrottleTime: 0,
    },
  },
  {
    step: 'produce',
    apiKey: 0,
    want: {
      topics: [
        {
          topicName: 'fx',
          partitions: [
            { partition: 0, errorCode: 0, baseOffset: '0', logAppendTime: '-1', logStartOffset: '0' },
          ],
        },
      ],
      throttleTime: 0,
      clientSideThrottleTime: 0,
    },
  },
  {
    step: 'initProducerId',
    apiKey: 22,
    want: { throttleTime: 0, errorCode: 0, producerId: '1000', producerEpoch: 0, clientSideThrottleTime: 0 },
  },
  {
    step: 'listOffsets',
    apiKey: 2,
    want: {
      throttleTime: 0,
      responses: [
        {
          topic: 'fx',
          partitions: [
            { partition: 0, errorCode: 0, timestamp: '-1', offset: '2' },
            { partition: 1, errorCode: 0, timestamp: '-1', offset: '1' },
          ],
        },
      ],
      clientSideThrottleTime: 0,
    },
  },
];

describe('our captured answers decode with kafkajs to the expected objects', () => {
  it.each(responses)('$step key $apiKey', async ({ step, apiKey, want }) => {
    const f = frame(step, apiKey);
    const body = Buffer.from(f.response as string, 'hex').subarray(4);
    expect(await kafkajsResponse(apiKey, f.apiVersion, body)).toEqual(want);
  });
});
