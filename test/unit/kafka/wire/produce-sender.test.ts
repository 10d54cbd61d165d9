import { describe, expect, it } from 'vitest';
import {
  kafkajsInternals,
  type KjsBroker,
  type KjsCluster,
} from '../../../../src/lib/kafka/wire/kafkajs-bridge.js';
import { ProduceSender } from '../../../../src/lib/kafka/wire/produce-sender.js';
import { RequestPipeline } from '../../../../src/lib/kafka/wire/request-pipeline.js';
import { encodeRecordBatch } from '../../../../src/lib/kafka/wire/record-batch-encoder.js';
import { Decoder, Encoder } from './kafkajs-codecs.js';

/**
 * ProduceSender against a scripted broker: what it sends (version, partitions) and how it
 * retries. The broker answers each request with the next scripted error code per partition.
 */
function scripted(errors: Record<number, number[]>, maxVersion = 11) {
  const sent: { apiVersion: number; partitions: number[] }[] = [];
  let refreshes = 0;
  const broker = {
    nodeId: 1,
    versions: { 0: { minVersion: maxVersion < 3 ? 0 : 3, maxVersion } },
    lookupRequest: () => {
      throw new Error('the sender builds its own requests');
    },
    [Symbol('private:Broker:sendRequest')]: async (req: {
      request: { apiVersion: number; encode(): Promise<{ buffer: Buffer }>; expectResponse(): boolean };
      response: { decode(b: Buffer): Promise<unknown>; parse(d: unknown): Promise<unknown> };
    }) => {
      const d = new Decoder((await req.request.encode()).buffer);
      d.readString(); // transactional id
      d.readInt16();
      d.readInt32();
      d.readInt32(); // one topic
      const topic = d.readString()!;
      const partitions: number[] = [];
      for (let n = d.readInt32(); n > 0; n--) {
        partitions.push(d.readInt32());
        d.readBytes();
      }
      sent.push({ apiVersion: req.request.apiVersion, partitions });
      if (!req.request.expectResponse()) return undefined;
      const e = new Encoder().writeInt32(1).writeString(topic).writeInt32(partitions.length);
      for (const p of partitions) {
        const code = errors[p]?.shift() ?? 0;
        e.writeInt32(p)
          .writeInt16(code)
          .writeInt64(code ? -1 : p * 100)
          .writeInt64(-1)
          .writeInt64(0);
        if (req.request.apiVersion >= 8) e.writeInt32(0).writeString(null);
      }
      e.writeInt32(0);
      return req.response.parse(await req.response.decode(e.buffer));
    },
  } as unknown as KjsBroker;
  const cluster = {
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => void refreshes++,
    isConnected: () => true,
    findTopicPartitionMetadata: () => [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1 })),
    findBroker: async () => broker,
  } as unknown as KjsCluster;
  return { cluster, sent, refreshes: () => refreshes };
}

const retrier = () => kafkajsInternals().createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 });

async function batches(partitions: number[]) {
  return Promise.all(
    partitions.map(async (partition) => ({
      partition,
      batch: await encodeRecordBatch([{ key: null, value: Buffer.from('v'), headers: {} }], {
        compression: 'none',
      }),
    })),
  );
}

describe('ProduceSender', () => {
  it('uses the highest Produce version both sides speak and returns base offsets', async () => {
    const s = scripted({}, 11);
    const acked = await new ProduceSender(s.cluster, retrier(), { acks: -1 }).send(
      't',
      await batches([0, 2]),
    );
    expect(s.sent).toEqual([{ apiVersion: 8, partitions: [0, 2] }]);
    expect([...acked]).toEqual([
      [0, 0],
      [2, 200],
    ]);
    const older = scripted({}, 5);
    await new ProduceSender(older.cluster, retrier(), { acks: 1 }).send('t', await batches([1]));
    expect(older.sent[0]!.apiVersion).toBe(5);
  });

  it('retries only the partition that failed with a retriable error, after refreshing metadata', async () => {
    const s = scripted({ 1: [6] }); // NOT_LEADER_OR_FOLLOWER once
    const acked = await new ProduceSender(s.cluster, retrier(), { acks: -1 }).send(
      't',
      await batches([0, 1, 2]),
    );
    expect(s.sent.map((x) => x.partitions)).toEqual([[0, 1, 2], [1]]);
    expect(s.refreshes()).toBe(1);
    expect([...acked].sort()).toEqual([
      [0, 0],
      [1, 100],
      [2, 200],
    ]);
  });

  it('gives up at once on an error that is not retriable, naming the partition', async () => {
    const s = scripted({ 2: [10] }); // MESSAGE_TOO_LARGE
    const send = new ProduceSender(s.cluster, retrier(), { acks: -1 }).send('t', await batches([2]));
    await expect(send).rejects.toThrow(/t:2: .*larger than the max message size/);
    expect(s.sent.length).toBe(1);
  });

  it('refuses a broker without Produce v3', async () => {
    const s = scripted({}, 2); // the broker speaks Produce v0-v2 only
    await expect(
      new ProduceSender(s.cluster, retrier(), { acks: -1 }).send('t', await batches([0])),
    ).rejects.toThrow(/Produce v3-8/);
  });

  it('with acks=0 expects no answer and reports no offsets', async () => {
    const s = scripted({});
    const acked = await new ProduceSender(s.cluster, retrier(), { acks: 0 }).send('t', await batches([0, 1]));
    expect([...acked]).toEqual([
      [0, null],
      [1, null],
    ]);
  });
});

describe('RequestPipeline: giving batch buffers back', () => {
  /** Sends one request of partitions 0..2 and reports which batches were released. */
  async function released(acks: number, errors: Record<number, number[]>) {
    const s = scripted(errors);
    const pipeline = new RequestPipeline(new ProduceSender(s.cluster, retrier(), { acks }), acks, 8);
    const freed: number[] = [];
    const out = (await batches([0, 1, 2])).map((b) => ({
      ...b,
      count: 1,
      release: () => void freed.push(b.partition),
    }));
    await pipeline.send('t', out);
    await pipeline.drain();
    return { freed: freed.sort(), sent: s.sent.length };
  }

  it('releases every batch of a request answered at the first attempt', async () => {
    expect(await released(-1, {})).toEqual({ freed: [0, 1, 2], sent: 1 });
    expect(await released(1, {})).toEqual({ freed: [0, 1, 2], sent: 1 });
  });

  it('keeps them after a retry (an earlier write may still be queued) and with acks=0', async () => {
    expect(await released(-1, { 1: [6] })).toEqual({ freed: [], sent: 2 });
    expect(await released(0, {})).toEqual({ freed: [], sent: 1 });
  });
});
