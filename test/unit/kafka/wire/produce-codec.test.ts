import { describe, expect, it } from 'vitest';
import { decodeProduceResponse, encodeProduceRequest } from '../../../../src/lib/kafka/wire/produce-codec.js';
import { encodeRecordBatch } from '../../../../src/lib/kafka/wire/record-batch-encoder.js';
import {
  Decoder,
  Encoder,
  type KjsDecoder,
  kjsDecodeRecordBatch,
  kjsProduceRequest,
  kjsProduceResponse,
} from './kafkajs-codecs.js';

/** Produce request v3-v8 body, read field by field with kafkajs's Decoder. */
async function readRequest(d: KjsDecoder) {
  const transactionalId = d.readString();
  const acks = d.readInt16();
  const timeout = d.readInt32();
  const topics = [];
  for (let t = d.readInt32(); t > 0; t--) {
    const topic = d.readString();
    const partitions = [];
    for (let p = d.readInt32(); p > 0; p--) {
      const partition = d.readInt32();
      const batch = await kjsDecodeRecordBatch(new Decoder(d.readBytes()));
      partitions.push({ partition, values: batch.records.map((r) => r.value?.toString()) });
    }
    topics.push({ topic, partitions });
  }
  return { transactionalId, acks, timeout, topics };
}

describe('Produce request', () => {
  it('has the layout kafkajs writes for v3, with our batches inside', async () => {
    const records = (vs: string[]) => vs.map((v) => ({ key: null, value: Buffer.from(v), headers: {} }));
    const ours = encodeProduceRequest({
      acks: -1,
      timeoutMs: 1234,
      topic: 'orders',
      partitions: [
        { partition: 2, batch: await encodeRecordBatch(records(['a', 'b']), { compression: 'none' }) },
        { partition: 0, batch: await encodeRecordBatch(records(['c']), { compression: 'gzip' }) },
      ],
    });
    const theirs = await kjsProduceRequest(3)({
      acks: -1,
      timeout: 1234,
      topicData: [
        {
          topic: 'orders',
          partitions: [
            { partition: 2, messages: [{ value: 'a' }, { value: 'b' }] },
            { partition: 0, messages: [{ value: 'c' }] },
          ],
        },
      ],
    }).encode();
    const want = await readRequest(new Decoder(theirs.buffer));
    expect(want.topics[0]!.partitions).toEqual([
      { partition: 2, values: ['a', 'b'] },
      { partition: 0, values: ['c'] },
    ]);
    expect(await readRequest(new Decoder(ours))).toEqual(want);
  });
});

/** A Produce response body as a broker writes it, for versions 3-8. */
function responseBytes(version: number): Buffer {
  const e = new Encoder().writeInt32(2);
  const topic = (name: string, parts: [number, number, number][]) => {
    e.writeString(name).writeInt32(parts.length);
    for (const [partition, errorCode, baseOffset] of parts) {
      e.writeInt32(partition).writeInt16(errorCode).writeInt64(baseOffset).writeInt64(-1);
      if (version >= 5) e.writeInt64(7);
      if (version >= 8) {
        e.writeInt32(errorCode ? 1 : 0);
        if (errorCode) e.writeInt32(3).writeString('bad timestamp');
        e.writeString(errorCode ? 'record 3 is invalid' : null);
      }
    }
  };
  topic('orders', [
    [0, 0, 41],
    [1, 0, 9_007_199_254],
  ]);
  topic('audit', [[4, 32, -1]]);
  return e.writeInt32(15).buffer;
}

describe('Produce response', () => {
  it.each([3, 4, 5, 6, 7])('v%i decodes as kafkajs decodes it', async (version) => {
    const bytes = responseBytes(version);
    const ours = decodeProduceResponse(bytes, version);
    const theirs = (await kjsProduceResponse(version).decode(bytes)) as {
      topics: {
        topicName: string;
        partitions: { partition: number; errorCode: number; baseOffset: string }[];
      }[];
    };
    expect(
      ours.partitions.map((p) => ({
        topic: p.topic,
        partition: p.partition,
        errorCode: p.errorCode,
        baseOffset: String(p.baseOffset),
      })),
    ).toEqual(
      theirs.topics.flatMap((t) =>
        t.partitions.map((p) => ({
          topic: t.topicName,
          partition: p.partition,
          errorCode: p.errorCode,
          baseOffset: p.baseOffset,
        })),
      ),
    );
    expect(ours.throttleTimeMs).toBe(15);
    expect(ours.partitions[0]!.logStartOffset).toBe(version >= 5 ? 7 : -1);
  });

  it('v8 carries per-record errors and the error message', () => {
    const ours = decodeProduceResponse(responseBytes(8), 8);
    expect(ours.partitions[2]).toEqual({
      topic: 'audit',
      partition: 4,
      errorCode: 32,
      baseOffset: -1,
      logAppendTimeMs: -1,
      logStartOffset: 7,
      recordErrors: [{ batchIndex: 3, message: 'bad timestamp' }],
      errorMessage: 'record 3 is invalid',
    });
    expect(ours.partitions[1]!.recordErrors).toEqual([]);
  });

  it.each([2, 9])('refuses v%i', (version) => {
    expect(() => decodeProduceResponse(responseBytes(3), version)).toThrow(/not supported/);
  });

  it('fails on a truncated response instead of inventing fields', () => {
    const bytes = responseBytes(7);
    expect(() => decodeProduceResponse(bytes.subarray(0, bytes.length - 6), 7)).toThrow(/need/);
  });
});
