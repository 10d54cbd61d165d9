import type { FetchedRecord } from '../partition-reader.js';
import { type KjsBroker, type KjsRequest, kafkajsInternals, sendRequest } from './kafkajs-bridge.js';
import {
  FETCH_MAX_VERSION,
  FETCH_MIN_VERSION,
  type FetchResponse,
  type FetchedPartition,
  decodeFetchResponse,
} from './fetch-codec.js';
import { UnsupportedBatchError } from './record-batch-decoder.js';

/**
 * A Fetch through kafkajs: kafkajs picks the version from the broker's ApiVersions and encodes
 * the request; we decode the answer with our codec (versions 4-11). An answer our codec cannot
 * read (an older version, a codec other than gzip, a pre-0.11 message set) goes to kafkajs's own
 * decoder instead, which reads what it can and names what it cannot (e.g. a missing snappy codec).
 */

export interface FetchArgs {
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  /** 0 read_uncommitted, 1 read_committed. */
  isolationLevel: number;
  topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  /** Records with their headers left raw until read (see LazyHeadersRecord). */
  lazyHeaders?: boolean;
}

export function fetchRecords(broker: KjsBroker, { lazyHeaders, ...args }: FetchArgs): Promise<FetchResponse> {
  const { apiKeys, requests } = kafkajsInternals();
  const kjs = broker.lookupRequest(
    apiKeys.Fetch,
    requests.Fetch,
  )({
    replicaId: -1,
    rackId: '',
    ...args,
    topics: shuffled(args.topics),
  });
  const version = kjs.request.apiVersion;
  const fallback = kjs.response;
  const req: KjsRequest<FetchResponse> = {
    ...kjs,
    response: {
      decode: async (payload) => {
        if (version >= FETCH_MIN_VERSION && version <= FETCH_MAX_VERSION) {
          try {
            const res = await decodeFetchResponse(payload, version, { lazyHeaders });
            // KIP-219: from v8 the broker no longer delays its answer; the client must back off.
            return version >= 8 ? { ...res, clientSideThrottleTime: res.throttleTimeMs } : res;
          } catch (err) {
            if (!(err instanceof UnsupportedBatchError)) throw err;
          }
        }
        return fromKafkajs((await fallback.decode(payload)) as KjsFetchResponse);
      },
      parse: async (decoded) => decoded as FetchResponse,
    },
  };
  return sendRequest(broker, req);
}

/**
 * Partitions in random order each time, as kafkajs does (KIP-74): the broker fills the response
 * in request order up to maxBytes, so a fixed order could starve the partitions at the end.
 */
function shuffled<T extends { partitions: unknown[] }>(topics: T[]): T[] {
  const out = topics.map((t) => ({ ...t, partitions: [...t.partitions] }));
  for (const t of out) shuffle(t.partitions);
  return shuffle(out);
}

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

interface KjsFetchResponse {
  throttleTime?: number;
  clientSideThrottleTime?: number;
  errorCode?: number;
  responses: {
    topicName: string;
    partitions: {
      partition: number;
      errorCode: number;
      highWatermark: string;
      lastStableOffset?: string;
      lastStartOffset?: string;
      messages: {
        offset: string;
        timestamp: string;
        key: Buffer | null;
        value: Buffer | null;
        headers?: FetchedRecord['headers'];
        isControlRecord?: boolean;
      }[];
    }[];
  }[];
}

/** kafkajs's decoded answer in our shape (numbers, control records dropped). */
function fromKafkajs(res: KjsFetchResponse): FetchResponse & { clientSideThrottleTime?: number } {
  const partitions: FetchedPartition[] = [];
  for (const t of res.responses) {
    for (const p of t.partitions) {
      const records: FetchedRecord[] = [];
      let nextOffset: number | null = null;
      for (const m of p.messages) {
        const offset = Number(m.offset);
        nextOffset = offset + 1;
        if (m.isControlRecord) continue;
        records.push({
          topic: t.topicName,
          partition: p.partition,
          offset,
          timestamp: Number(m.timestamp),
          key: m.key ?? null,
          value: m.value ?? null,
          headers: m.headers ?? {},
        });
      }
      partitions.push({
        topic: t.topicName,
        partition: p.partition,
        errorCode: p.errorCode,
        highWatermark: Number(p.highWatermark),
        lastStableOffset: Number(p.lastStableOffset ?? -1),
        logStartOffset: Number(p.lastStartOffset ?? -1),
        records,
        nextOffset,
      });
    }
  }
  return {
    throttleTimeMs: res.throttleTime ?? 0,
    clientSideThrottleTime: res.clientSideThrottleTime,
    errorCode: res.errorCode ?? 0,
    partitions,
  };
}
