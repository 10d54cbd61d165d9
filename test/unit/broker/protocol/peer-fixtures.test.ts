// Real frames of kcat 1.7 / librdkafka 2.0.2 and of Apache Kafka 4.4's Java tools (captured by
// fixtures/capture-peers.ts), mostly flexible versions kafkajs never sends: each must decode
// completely, and the key ones must decode to the objects the tools were asked to send.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handlerFor } from '../../../../src/lib/broker/handlers/index.js';
import { Decoder } from '../../../../src/lib/broker/protocol/decoder.js';
import { decodeRecords } from '../../../../src/lib/broker/protocol/record-batch.js';
import { readRequestHeader } from '../../../../src/lib/broker/server/request-header.js';

interface Frame {
  step: string;
  apiKey: number;
  apiVersion: number;
  request: string;
  response: string | null;
}

const load = (name: string): Frame[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Frame[];
const all = [...load('kcat.json'), ...load('java.json')];

function decode(f: Frame): { header: ReturnType<typeof readRequestHeader>; body: unknown; left: number } {
  const d = new Decoder(Buffer.from(f.request, 'hex'));
  const header = readRequestHeader(d);
  const h = handlerFor(header.apiKey);
  if (!h) throw new Error(`no handler for key ${header.apiKey}`);
  d.taggedFields(header.apiVersion >= h.flexibleFrom);
  const body: unknown = h.decode(d, header.apiVersion);
  return { header, body, left: d.remaining() };
}

function find(apiKey: number, apiVersion: number): Frame {
  const f = all.find((x) => x.apiKey === apiKey && x.apiVersion === apiVersion);
  if (!f) throw new Error(`no fixture ${apiKey}/v${apiVersion}`);
  return f;
}

const supported = all.filter((f) => {
  const h = handlerFor(f.apiKey);
  return h !== undefined && f.apiVersion <= h.maxVersion;
});

describe('every captured request decodes to its last byte', () => {
  it.each(supported.map((f, i) => ({ ...f, i })))('#$i $step key $apiKey v$apiVersion', (f) => {
    expect(decode(f).left, 'bytes left after decoding').toBe(0);
  });
});

const expected: { apiKey: number; v: number; clientId: string; want: unknown }[] = [
  {
    apiKey: 18,
    v: 3,
    clientId: 'rdkafka',
    want: { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' },
  },
  {
    apiKey: 18,
    v: 4,
    clientId: 'adminclient-1',
    want: { clientSoftwareName: 'apache-kafka-java', clientSoftwareVersion: '4.4.0' },
  },
  {
    apiKey: 3,
    v: 4,
    clientId: 'rdkafka',
    want: {
      topics: [{ topicId: null, name: 'kc' }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    },
  },
  {
    apiKey: 3,
    v: 12,
    clientId: 'adminclient-1',
    want: { topics: [], allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false },
  },
  {
    apiKey: 19,
    v: 7,
    clientId: 'adminclient-1',
    want: {
      topics: [{ name: 'jv', numPartitions: 2, replicationFactor: -1, assignments: [], configs: [] }],
      timeoutMs: 29978,
      validateOnly: false,
    },
  },
  {
    apiKey: 60,
    v: 1,
    clientId: 'adminclient-1',
    want: { includeClusterAuthorizedOperations: false, endpointType: 1 },
  },
  {
    apiKey: 32,
    v: 4,
    clientId: 'adminclient-1',
    want: {
      resources: [{ resourceType: 2, resourceName: 'jv', configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    },
  },
  {
    apiKey: 22,
    v: 5,
    clientId: 'console-producer',
    want: { transactionalId: null, transactionTimeoutMs: 2147483647, producerId: -1n, producerEpoch: -1 },
  },
  {
    apiKey: 2,
    v: 10,
    clientId: 'console-consumer',
    want: {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: 'jv',
          partitions: [{ partitionIndex: 0, currentLeaderEpoch: 0, timestamp: -2n, maxNumOffsets: 1 }],
        },
      ],
      timeoutMs: 30000,
    },
  },
  {
    apiKey: 1,
    v: 17,
    clientId: 'console-consumer',
    want: {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: 0,
      topics: [
        {
          topic: '',
          topicId: Buffer.from('70d2a78b13b342355f12235226d2d3b2', 'hex'),
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: 0,
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
];

describe('key requests decode to the objects the tools sent', () => {
  it.each(expected)('key $apiKey v$v from $clientId', ({ apiKey, v, clientId, want }) => {
    const { header, body } = decode(find(apiKey, v));
    expect(header.clientId).toBe(clientId);
    expect(body).toEqual(want);
  });

  it.each([
    { v: 7, values: ['hello', 'world'], keys: ['k1', 'k2'] },
    { v: 11, values: ['a', 'b'], keys: [null, null] },
  ])('Produce v$v carries an intact batch', ({ v, values, keys }) => {
    const { body } = decode(find(0, v));
    const req = body as { acks: number; topics: { partitions: { records: Buffer }[] }[] };
    expect(req.acks).toBe(-1);
    const records = decodeRecords(req.topics[0]?.partitions[0]?.records as Buffer);
    expect(records.map((r) => r.value?.toString())).toEqual(values);
    expect(records.map((r) => r.key?.toString() ?? null)).toEqual(keys);
  });
});

describe('answers to the peers', () => {
  it('a Java ApiVersions v5 (newer than ours) got UNSUPPORTED_VERSION in a v0 body, then v4 worked', () => {
    const f = find(18, 5);
    const d = new Decoder(Buffer.from(f.response as string, 'hex'));
    d.int32();
    expect(d.int16(), 'error code').toBe(35);
    d.array((x) => [x.int16(), x.int16(), x.int16()]);
    expect(d.remaining()).toBe(0);
    expect(all.some((x) => x.apiKey === 18 && x.apiVersion === 4 && x.response !== null)).toBe(true);
  });

  it.each(
    supported.filter((f) => f.apiKey !== 18 && f.apiVersion >= (handlerFor(f.apiKey)?.flexibleFrom ?? 99)),
  )('flexible $step key $apiKey v$apiVersion answered with response header v1', (f) => {
    const req = Buffer.from(f.request, 'hex');
    const res = Buffer.from(f.response as string, 'hex');
    expect(res.readInt32BE(0), 'correlation id').toBe(req.readInt32BE(4));
    expect(res[4], 'empty header tagged fields').toBe(0);
  });
});
