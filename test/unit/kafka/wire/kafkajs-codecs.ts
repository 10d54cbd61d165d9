import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4's own protocol codecs, the reference our wire codecs are compared with. They are
 * internals without typings, declared here as narrowly as the tests use them.
 */

const require = createRequire(import.meta.url);

export interface KjsEncoder {
  buffer: Buffer;
  writeInt8(v: number): KjsEncoder;
  writeInt16(v: number): KjsEncoder;
  writeInt32(v: number): KjsEncoder;
  writeInt64(v: number | string): KjsEncoder;
  writeString(v: string | null): KjsEncoder;
  writeVarInt(v: number): KjsEncoder;
  writeVarLong(v: number | string): KjsEncoder;
  writeBytes(v: Buffer | null): KjsEncoder;
  writeBuffer(v: Buffer): KjsEncoder;
  writeEncoder(v: KjsEncoder): KjsEncoder;
  writeArray(v: unknown[], type?: string): KjsEncoder;
}

export interface KjsDecoder {
  offset: number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readString(): string | null;
  readVarInt(): number;
  readVarLong(): { toString(): string };
  readBytes(n?: number): Buffer;
}

export const Encoder = require('kafkajs/src/protocol/encoder.js') as new () => KjsEncoder;
export const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => KjsDecoder;

export interface KjsRecordInput {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[]>;
  offsetDelta: number;
  timestampDelta: number;
}

export const kjsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
  r: KjsRecordInput,
) => KjsEncoder;

export const { RecordBatch: kjsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (b: {
    compression?: number;
    records: KjsEncoder[];
    firstTimestamp: number;
    maxTimestamp: number;
    lastOffsetDelta: number;
    firstOffset?: unknown;
  }) => Promise<KjsEncoder>;
};

export interface KjsDecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  magicByte: number;
}

export interface KjsDecodedBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  lastOffsetDelta: number;
  partitionLeaderEpoch: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  timestampType: number;
  records: KjsDecodedRecord[];
}

export const kjsDecodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  d: KjsDecoder,
) => Promise<KjsDecodedBatch>;

export interface KjsResponseCodec {
  decode(payload: Buffer): Promise<unknown>;
  parse(decoded: unknown): Promise<unknown>;
}

export function kjsFetchResponse(version: number): KjsResponseCodec {
  return require(`kafkajs/src/protocol/requests/fetch/v${version}/response.js`) as KjsResponseCodec;
}

export function kjsProduceResponse(version: number): KjsResponseCodec {
  return require(`kafkajs/src/protocol/requests/produce/v${version}/response.js`) as KjsResponseCodec;
}

export function kjsProduceRequest(version: number): (args: object) => { encode(): Promise<KjsEncoder> } {
  return require(`kafkajs/src/protocol/requests/produce/v${version}/request.js`) as (args: object) => {
    encode(): Promise<KjsEncoder>;
  };
}

export const kjsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer | string,
) => number;
