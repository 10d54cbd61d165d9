// kafkajs's own protocol modules (request encoders, response decoders), used as an independent
// implementation to check our codecs against. They ship without types, hence the narrow shapes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const folders: Record<number, string> = {
  0: 'produce',
  1: 'fetch',
  2: 'listOffsets',
  3: 'metadata',
  18: 'apiVersions',
  19: 'createTopics',
  20: 'deleteTopics',
  21: 'deleteRecords',
  22: 'initProducerId',
  32: 'describeConfigs',
  33: 'alterConfigs',
  37: 'createPartitions',
};

interface KafkajsEncoder {
  buffer: Buffer;
}

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<KafkajsEncoder> | KafkajsEncoder;
}

/** Encodes a request body (no header) with kafkajs's encoder for that API and version. */
export async function kafkajsRequest(apiKey: number, version: number, args: object): Promise<Buffer> {
  const make = require(`kafkajs/src/protocol/requests/${folders[apiKey]}/v${version}/request`) as (
    a: object,
  ) => KafkajsRequest;
  const enc = await make(args).encode();
  return enc.buffer;
}

/** Decodes a response body (after the correlation id) with kafkajs's decoder. */
export async function kafkajsResponse(apiKey: number, version: number, body: Buffer): Promise<unknown> {
  type Decoding = { decode(b: Buffer): Promise<unknown> };
  // Most response modules export { decode }; a few (DeleteRecords) export a factory of it.
  const mod = require(`kafkajs/src/protocol/requests/${folders[apiKey]}/v${version}/response`) as
    Decoding | ((a: object) => Decoding);
  const decoding = typeof mod === 'function' ? mod({ topics: [] }) : mod;
  return decoding.decode(body);
}

/** The versions kafkajs 2.2.4 implements for an API. */
export function kafkajsVersions(apiKey: number): number[] {
  const mod = require(`kafkajs/src/protocol/requests/${folders[apiKey]}/index`) as { versions: string[] };
  return mod.versions.map(Number);
}
