import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { EbError } from '../../cli/errors.js';
import type { KafkaSession } from '../client.js';

/**
 * Our codecs travel over kafkajs's own connections: a request is an object kafkajs can send
 * (`{ apiKey, apiVersion, apiName, encode }` plus a `{ decode, parse }` response), handed to a
 * kafkajs Broker, which queues it on its connection with its correlation ids, SASL/TLS, timeouts
 * and throttling. Cluster metadata, leader look-up, broker connections and retries are kafkajs's.
 * The internals used here are not in kafkajs's typings; they are declared as narrowly as we use
 * them and checked when loaded, so another kafkajs version fails with a clear message.
 */

export interface ApiVersionRange {
  minVersion: number;
  maxVersion: number;
}

/** What connection.send accepts from `encode()`: anything with `buf`, read through `buffer`. */
class RawPayload {
  constructor(readonly buf: Buffer) {}
  get buffer(): Buffer {
    return this.buf;
  }
}

export interface KjsRequest<T> {
  request: {
    apiKey: number;
    apiVersion: number;
    apiName: string;
    expectResponse?: () => boolean;
    encode: () => Promise<unknown>;
  };
  response: { decode: (payload: Buffer) => Promise<unknown>; parse: (decoded: unknown) => Promise<T> };
  requestTimeout?: number;
}

export interface KjsBroker {
  nodeId: number;
  versions: Record<number, ApiVersionRange | undefined> | null;
  lookupRequest(apiKey: number, definitions: unknown): (args: object) => KjsRequest<unknown>;
}

export interface KjsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  removeBroker(b: { host: string; port: number }): void;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(q: { nodeId: string }): Promise<KjsBroker>;
  findControllerBroker(): Promise<KjsBroker>;
}

export type Retrier = <T>(fn: (bail: (e: unknown) => void, retryCount: number) => Promise<T>) => Promise<T>;

export interface KjsInternals {
  createRetry(options: object): Retrier;
  createErrorFromCode(code: number): Error & { retriable?: boolean; type?: string };
  staleMetadata(e: unknown): boolean;
  requests: { Fetch: unknown; Produce: unknown };
  apiKeys: { Produce: number; Fetch: number };
}

let internals: KjsInternals | undefined;

/** kafkajs's retry, error table and request definitions, loaded on first use (cold start). */
export function kafkajsInternals(): KjsInternals {
  if (internals) return internals;
  const require = createRequire(import.meta.url);
  try {
    const error = require('kafkajs/src/protocol/error.js') as Pick<
      KjsInternals,
      'createErrorFromCode' | 'staleMetadata'
    >;
    const reqs = require('kafkajs/src/protocol/requests/index.js') as { requests: KjsInternals['requests'] };
    internals = {
      createRetry: require('kafkajs/src/retry/index.js') as KjsInternals['createRetry'],
      createErrorFromCode: error.createErrorFromCode,
      staleMetadata: error.staleMetadata,
      requests: reqs.requests,
      apiKeys: require('kafkajs/src/protocol/requests/apiKeys.js') as KjsInternals['apiKeys'],
    };
  } catch (err) {
    throw new EbError(
      'this kafkajs version does not have the internals eventbench uses; it needs kafkajs 2.2.x',
      {
        cause: err,
      },
    );
  }
  return internals;
}

function privateMember<T>(obj: object, description: string): T {
  for (let o: object | null = obj; o; o = Object.getPrototypeOf(o) as object | null) {
    const sym = Object.getOwnPropertySymbols(o).find((s) => s.description === description);
    if (sym) return (o as Record<symbol, T>)[sym]!;
  }
  throw new EbError(`this kafkajs version has no ${description}; eventbench needs kafkajs 2.2.x`);
}

/** A kafkajs Cluster of the session's client (the same object its producer and consumer use). */
export async function openCluster(session: KafkaSession, topics: string[]): Promise<KjsCluster> {
  const create = privateMember<(o: object) => KjsCluster>(session.kafka, 'private:Kafka:createCluster');
  const cluster = create.call(session.kafka, { allowAutoTopicCreation: false, isolationLevel: 0 });
  await cluster.connect();
  session.onClose(() => cluster.disconnect());
  if (topics.length) await cluster.addMultipleTargetTopics(topics);
  return cluster;
}

/** The session's retry settings, as kafkajs's own producer would use them. */
export function sessionRetrier(session: KafkaSession): Retrier {
  const retry = privateMember<object | undefined>(session.kafka, 'private:Kafka:clusterRetry');
  return kafkajsInternals().createRetry({ ...retry });
}

/** Sends through the broker's connection pool, as the broker's own methods do. */
export function sendRequest<T>(broker: KjsBroker, req: KjsRequest<T>): Promise<T> {
  const send = privateMember<(r: KjsRequest<T>) => Promise<T>>(broker, 'private:Broker:sendRequest');
  return send.call(broker, req);
}

/**
 * The highest version both sides speak: the broker's advertised range (ApiVersions) and our
 * codec's. Undefined when they do not overlap.
 */
export function negotiateVersion(
  broker: KjsBroker,
  apiKey: number,
  ours: { min: number; max: number },
): number | undefined {
  const range = broker.versions?.[apiKey];
  if (!range) return undefined;
  const v = Math.min(range.maxVersion, ours.max);
  return v >= Math.max(range.minVersion, ours.min) ? v : undefined;
}

/**
 * kafkajs's own socket factory (plain or TLS, keep-alive), plus two things:
 * - TCP_NODELAY, as the Java client sets it. With Nagle's algorithm on, the last segment of each
 *   pipelined request waits for the broker's delayed ACK (up to 40 ms on Linux), which capped
 *   produce throughput.
 * - Spliced payloads (see splicedPayload): kafkajs frames a request by copying its payload into a
 *   new zero-filled buffer twice (header, then size prefix), a power of two in size each time.
 *   For a 1 MB Produce request that was 4 MB of fresh memory, and the garbage collector ran a
 *   full collection every few requests to give that external memory back. So a Produce payload
 *   travels as an 8-byte placeholder through kafkajs; here, at the socket, the frame's size is
 *   corrected and the real payload is written after the header, its buffers as they are.
 */
export function noDelaySocketFactory(): (args: object) => Socket {
  const require = createRequire(import.meta.url);
  const create = require('kafkajs/src/network/socketFactory.js') as () => (args: object) => Socket;
  const plain = create();
  splicing = true;
  return (args) => {
    const socket = plain(args).setNoDelay(true);
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      const parts = Buffer.isBuffer(chunk) ? takeSpliced(chunk) : undefined;
      if (parts === null) {
        // The placeholder's payload was forgotten (see MAX_WAITING): sending the frame would send
        // 8 bytes instead of the records. Fail the connection; kafkajs retries the request,
        // which encodes it again.
        socket.destroy(new Error('a Produce payload was dropped before it reached the socket'));
        return false;
      }
      if (!parts) return write(chunk, ...rest);
      const head = (chunk as Buffer).subarray(0, (chunk as Buffer).length - PLACEHOLDER_SIZE);
      let size = head.length - 4;
      for (const p of parts) size += p.length;
      head.writeInt32BE(size, 0);
      socket.cork(); // one writev for the frame
      write(head);
      for (let i = 0; i < parts.length - 1; i++) write(parts[i]);
      const ok = write(parts[parts.length - 1], ...rest);
      socket.uncork();
      return ok;
    }) as Socket['write'];
    return socket;
  };
}

export function rawPayload(buf: Buffer): unknown {
  return new RawPayload(buf);
}

/** Set once our socket factory exists: every session's sockets then splice. */
let splicing = false;
const PLACEHOLDER_SIZE = 8;
/** "ebsp": the placeholder's first four bytes; the last four are its token. */
const MAGIC = 0x65627370;
const spliced = new Map<number, Buffer[]>();
/** Tokens whose parts were dropped to bound memory; their frames must never be sent. */
const dropped = new Set<number>();
let nextToken = 0;
/** Payloads encoded but never written (their connection failed first) must not pile up. */
const MAX_WAITING = 64;

/**
 * A request payload made of `parts`, written to the socket without a copy (see
 * noDelaySocketFactory). Without our socket factory, the parts are joined into one buffer.
 */
export function splicedPayload(parts: Buffer[]): unknown {
  if (!splicing || parts.length === 0) return rawPayload(Buffer.concat(parts));
  nextToken = (nextToken + 1) >>> 0;
  if (spliced.size >= MAX_WAITING) {
    const oldest = spliced.keys().next().value!;
    spliced.delete(oldest);
    dropped.add(oldest);
    if (dropped.size > 4 * MAX_WAITING) dropped.delete(dropped.values().next().value!);
  }
  spliced.set(nextToken, parts);
  const placeholder = Buffer.allocUnsafe(PLACEHOLDER_SIZE);
  placeholder.writeUInt32BE(MAGIC, 0);
  placeholder.writeUInt32BE(nextToken, 4);
  return rawPayload(placeholder);
}

/**
 * The parts a framed request's placeholder stands for (and forgets them): undefined for a frame
 * without a placeholder, null for a placeholder whose parts were dropped.
 */
function takeSpliced(frame: Buffer): Buffer[] | null | undefined {
  // size int32, api key int16, version int16, correlation id int32, client id (int16 length + bytes)
  if (frame.length < 14 + PLACEHOLDER_SIZE) return undefined;
  if (frame.readUInt32BE(frame.length - PLACEHOLDER_SIZE) !== MAGIC) return undefined;
  const token = frame.readUInt32BE(frame.length - 4);
  const parts = spliced.get(token);
  if (parts) spliced.delete(token);
  else if (!dropped.delete(token)) return undefined;
  return parts ?? null;
}
