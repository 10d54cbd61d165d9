import { EbError } from '../../cli/errors.js';
import {
  type KjsBroker,
  type KjsCluster,
  type KjsRequest,
  type Retrier,
  kafkajsInternals,
  negotiateVersion,
  sendRequest,
  splicedPayload,
} from './kafkajs-bridge.js';
import {
  PRODUCE_MAX_VERSION,
  PRODUCE_MIN_VERSION,
  type PartitionBatch,
  type ProducePartitionResponse,
  type ProduceResponse,
  decodeProduceResponse,
  produceRequestParts,
} from './produce-codec.js';

/**
 * Sends encoded record batches to partition leaders as Produce requests over kafkajs's broker
 * connections, with kafkajs's retrier and the same error handling as its producer (refresh
 * metadata on stale leadership or a lost connection, retry what is retriable). One difference, on
 * purpose: a partition the broker accepted is never sent again when another partition of the same
 * request failed, so a retry cannot duplicate it.
 */

export interface ProduceSenderOptions {
  acks: number;
  /** How long the broker may wait for replicas (acks=all) before answering. */
  timeoutMs?: number;
}

const DUPLICATE_SEQUENCE_NUMBER = 46;

/** An idempotent producer's id and epoch (KIP-98), from InitProducerId. */
export interface ProducerIdentity {
  producerId: number;
  producerEpoch: number;
}

/**
 * Asks a broker for a producer id (no transactional id: idempotence only). Its batches carry
 * the id, the epoch and per-partition sequence numbers, so the broker writes a retried batch
 * once and refuses one that would land out of order (OUT_OF_ORDER_SEQUENCE_NUMBER), which is
 * what lets several requests per partition be in flight without reordering a key's records.
 */
export async function initProducerId(cluster: KjsCluster, retrier: Retrier): Promise<ProducerIdentity> {
  return retrier(async () => {
    await cluster.refreshMetadataIfNecessary();
    // Any broker answers InitProducerId without a transactional id; the controller is one we know.
    const broker = (await cluster.findControllerBroker()) as unknown as {
      initProducerId(a: {
        transactionTimeout: number;
      }): Promise<{ producerId: string; producerEpoch: number }>;
    };
    const r = await broker.initProducerId({ transactionTimeout: 60_000 });
    return { producerId: Number(r.producerId), producerEpoch: r.producerEpoch };
  });
}

class RetriableMetadataError extends Error {
  readonly retriable = true;
  constructor(message: string) {
    super(message);
    this.name = 'KafkaJSMetadataNotLoaded'; // kafkajs's name for "refresh metadata and retry"
  }
}

export class ProduceSender {
  private readonly timeoutMs: number;

  constructor(
    private readonly cluster: KjsCluster,
    private readonly retrier: Retrier,
    private readonly opts: ProduceSenderOptions,
  ) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /**
   * Sends one batch per partition of `topic`; resolves with each partition's base offset (null
   * with acks=0, where the broker does not answer).
   */
  async send(
    topic: string,
    batches: readonly PartitionBatch[],
    /** Counts the attempts this send took (1: no retry). */
    attempts?: { count: number },
  ): Promise<Map<number, number | null>> {
    const pending = new Map(batches.map((b) => [b.partition, b]));
    const acked = new Map<number, number | null>();
    const { staleMetadata } = kafkajsInternals();
    await this.retrier(async (bail) => {
      if (attempts) attempts.count++;
      try {
        await this.cluster.refreshMetadataIfNecessary();
        const byLeader = this.leaders(topic, [...pending.keys()]);
        await Promise.all(
          [...byLeader].map(async ([nodeId, partitions]) => {
            const broker = await this.cluster.findBroker({ nodeId });
            const results = await this.sendTo(
              broker,
              topic,
              partitions.map((p) => pending.get(p)!),
            );
            let failure: Error | undefined;
            for (const r of results) {
              // DUPLICATE_SEQUENCE_NUMBER: an idempotent batch the log already holds (a retry
              // of a request whose answer was lost); it is written once, offsets not known.
              if (r.errorCode === 0 || r.errorCode === DUPLICATE_SEQUENCE_NUMBER) {
                acked.set(r.partition, this.opts.acks === 0 || r.errorCode !== 0 ? null : r.baseOffset);
                pending.delete(r.partition);
              } else failure ??= partitionError(r);
            }
            // A partition the response does not mention was not acknowledged: send it again
            // rather than count it as written.
            const unanswered = partitions.filter(
              (p) => pending.has(p) && !results.some((r) => r.partition === p),
            );
            if (unanswered.length > 0 && !failure)
              failure = new RetriableMetadataError(
                `the broker's Produce response left out ${topic} partition(s) ${unanswered.join(', ')}`,
              );
            if (failure) throw failure;
          }),
        );
      } catch (err) {
        const e = err as Error & { retriable?: boolean; host?: string; port?: number };
        if (e.name === 'KafkaJSConnectionClosedError' && e.host && e.port) {
          this.cluster.removeBroker({ host: e.host, port: e.port });
        }
        if (!this.cluster.isConnected()) {
          await this.cluster.connect();
          await this.cluster.refreshMetadata();
          throw e;
        }
        if (
          staleMetadata(e) ||
          e.name === 'KafkaJSMetadataNotLoaded' ||
          e.name === 'KafkaJSConnectionError' ||
          e.name === 'KafkaJSConnectionClosedError' ||
          (e.name === 'KafkaJSProtocolError' && e.retriable)
        ) {
          await this.cluster.refreshMetadata();
          throw e;
        }
        // OUT_OF_ORDER_SEQUENCE_NUMBER: an earlier batch of the partition (a request in flight
        // before this one) failed and is being retried; this one follows it once it lands.
        if (e.retriable || (e as { type?: string }).type === 'OUT_OF_ORDER_SEQUENCE_NUMBER') throw e;
        bail(e);
      }
    });
    return acked;
  }

  private leaders(topic: string, partitions: number[]): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const meta = this.cluster.findTopicPartitionMetadata(topic);
    for (const p of partitions) {
      const leader = meta.find((m) => m.partitionId === p)?.leader;
      if (leader === undefined || leader < 0) {
        throw new RetriableMetadataError(`no leader known for ${topic}:${p}`);
      }
      const list = out.get(String(leader)) ?? [];
      list.push(p);
      out.set(String(leader), list);
    }
    return out;
  }

  private async sendTo(
    broker: KjsBroker,
    topic: string,
    batches: PartitionBatch[],
  ): Promise<ProducePartitionResponse[]> {
    const { apiKeys } = kafkajsInternals();
    const version = negotiateVersion(broker, apiKeys.Produce, {
      min: PRODUCE_MIN_VERSION,
      max: PRODUCE_MAX_VERSION,
    });
    if (version === undefined) {
      throw new EbError(
        `broker ${broker.nodeId} does not accept Produce v${PRODUCE_MIN_VERSION}-${PRODUCE_MAX_VERSION}`,
        { hint: 'eventbench writes record batches (magic 2), which need Kafka 0.11 or newer' },
      );
    }
    const body = produceRequestParts({
      acks: this.opts.acks,
      timeoutMs: this.timeoutMs,
      topic,
      partitions: batches,
    });
    const res = await sendRequest(broker, produceRequest(version, this.opts.acks, body));
    // acks=0: kafkajs resolves as soon as the request is written; there is no response to read.
    if (res === undefined) return batches.map((b) => accepted(topic, b.partition));
    return res.partitions.filter((p) => p.topic === topic);
  }
}

function produceRequest(
  version: number,
  acks: number,
  body: Buffer[],
): KjsRequest<ProduceResponse | undefined> {
  const { apiKeys } = kafkajsInternals();
  return {
    request: {
      apiKey: apiKeys.Produce,
      apiVersion: version,
      apiName: 'Produce',
      expectResponse: () => acks !== 0,
      encode: async () => splicedPayload(body),
    },
    response: {
      decode: async (payload) => {
        const res = decodeProduceResponse(payload, version);
        // KIP-219: from v6 the broker no longer delays its answer; the client must back off.
        return version >= 6 ? { ...res, clientSideThrottleTime: res.throttleTimeMs } : res;
      },
      parse: async (decoded) => decoded as ProduceResponse,
    },
  };
}

function accepted(topic: string, partition: number): ProducePartitionResponse {
  return {
    topic,
    partition,
    errorCode: 0,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset: -1,
    recordErrors: [],
    errorMessage: null,
  };
}

/** kafkajs's error for the code (so `retriable` and stale-metadata checks apply), with detail. */
function partitionError(r: ProducePartitionResponse): Error {
  const e = kafkajsInternals().createErrorFromCode(r.errorCode);
  const detail = [r.errorMessage, ...r.recordErrors.map((x) => `record ${x.batchIndex}: ${x.message ?? ''}`)]
    .filter(Boolean)
    .join('; ');
  e.message = `${r.topic}:${r.partition}: ${e.message}${detail ? ` (${detail})` : ''}`;
  return e;
}
