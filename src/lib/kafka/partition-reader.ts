import { EbError } from '../cli/errors.js';
import type { RecordData } from '../records/jsonl.js';
import type { KafkaSession } from './client.js';
import { requireTopics } from './topics.js';
import type { KjsBroker as WireBroker } from './wire/kafkajs-bridge.js';
import { kafkajsInternals } from './wire/kafkajs-bridge.js';
import type { FetchedPartition } from './wire/fetch-codec.js';
import { fetchRecords } from './wire/fetch-request.js';

/**
 * Reading partitions without a consumer group. kafkajs's public consumer always joins a group
 * (and leaves one behind on the broker); `tail`, `replay` and offset look-ups instead use the
 * same kafkajs cluster and broker objects its consumer uses internally, with offsets we choose.
 * This is still kafkajs on the wire: one client path.
 */

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface Assignment extends TopicPartition {
  /** First offset to read. */
  from: number;
  /** Stop before this offset (exclusive); undefined = follow forever. */
  until?: number;
}

export interface FetchedRecord extends RecordData {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
}

/* The subset of kafkajs's internal Cluster/Broker objects we use (not in its typings). */
interface KjsBroker {
  listOffsets(
    req: unknown,
  ): Promise<{ responses: { topic: string; partitions: { partition: number; offset: string }[] }[] }>;
}
interface KjsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(q: { nodeId: string }): Promise<KjsBroker>;
}

export class PartitionReader {
  private constructor(private readonly cluster: KjsCluster) {}

  static async open(session: KafkaSession, topics: string[]): Promise<PartitionReader> {
    // The admin proves reachability with the bounded connect (exit 3). Check the topics exist
    // first: kafkajs's cluster retries metadata for an unknown topic for minutes before failing.
    await requireTopics(await session.admin(), topics);
    const kafka = session.kafka as unknown as Record<symbol, (o: object) => KjsCluster>;
    const sym = Object.getOwnPropertySymbols(kafka).find(
      (s) => s.description === 'private:Kafka:createCluster',
    );
    if (!sym)
      throw new EbError('this kafkajs version does not expose its cluster; eventbench needs kafkajs 2.2.x');
    const cluster = kafka[sym]!({ allowAutoTopicCreation: false, isolationLevel: 0 });
    await cluster.connect();
    await cluster.addMultipleTargetTopics(topics);
    session.onClose(() => cluster.disconnect());
    return new PartitionReader(cluster);
  }

  partitions(topic: string): number[] {
    return this.cluster
      .findTopicPartitionMetadata(topic)
      .map((p) => p.partitionId)
      .sort((a, b) => a - b);
  }

  /**
   * ListOffsets for many partitions at once, each with its own timestamp (-2 earliest, -1 latest,
   * else the first offset whose timestamp is at or after it). Kafka answers -1 when no record is
   * that new; we return null then, and callers clamp to the end (never commit -1).
   */
  async listOffsets(
    queries: (TopicPartition & { timestamp: number })[],
  ): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    const byLeader = new Map<
      string,
      { topic: string; partitions: { partition: number; timestamp: number }[] }[]
    >();
    for (const q of queries) {
      const leaders = this.cluster.findLeaderForPartitions(q.topic, [q.partition]);
      const leader = Object.keys(leaders)[0];
      if (leader === undefined) throw new EbError(`partition ${q.topic}:${q.partition} does not exist`);
      const list = byLeader.get(leader) ?? [];
      let entry = list.find((e) => e.topic === q.topic);
      if (!entry) list.push((entry = { topic: q.topic, partitions: [] }));
      entry.partitions.push({ partition: q.partition, timestamp: q.timestamp });
      byLeader.set(leader, list);
    }
    for (const [nodeId, topics] of byLeader) {
      const broker = await this.cluster.findBroker({ nodeId });
      const res = await broker.listOffsets({ replicaId: -1, isolationLevel: 0, topics });
      for (const t of res.responses) {
        for (const p of t.partitions) {
          const n = Number(p.offset);
          out.set(key(t.topic, p.partition), n < 0 ? null : n);
        }
      }
    }
    return out;
  }

  /** Log start and end offsets of every partition of the topics. */
  async bounds(topics: string[]): Promise<Map<string, { start: number; end: number }>> {
    const tps = topics.flatMap((topic) => this.partitions(topic).map((partition) => ({ topic, partition })));
    const starts = await this.listOffsets(tps.map((tp) => ({ ...tp, timestamp: -2 })));
    const ends = await this.listOffsets(tps.map((tp) => ({ ...tp, timestamp: -1 })));
    const out = new Map<string, { start: number; end: number }>();
    for (const tp of tps) {
      const k = key(tp.topic, tp.partition);
      out.set(k, { start: starts.get(k) ?? 0, end: ends.get(k) ?? 0 });
    }
    return out;
  }

  /**
   * Reads the assignments, yielding the records of each fetch in offset order per partition.
   * Ends when every partition reached its `until`; with no `until` it follows until `signal` aborts.
   */
  async *read(assignments: Assignment[], opts: ReadOptions = {}): AsyncGenerator<FetchedRecord[]> {
    const next = new Map(assignments.map((a) => [key(a.topic, a.partition), { ...a }]));
    for (const [k, a] of next) if (a.until !== undefined && a.from >= a.until) next.delete(k);
    const round = () => (next.size > 0 && !opts.signal?.aborted ? this.fetchRound(next, opts) : undefined);
    let pending = round();
    while (pending) {
      const batches = await pending;
      // Ask for the next records before handing these out, so the broker and the network work
      // while the caller renders and writes them. A fetch that fails after the caller stopped
      // reading must not become an unhandled rejection.
      pending = round();
      pending?.catch(() => undefined);
      for (const batch of batches) if (batch.length) yield batch;
    }
  }

  /** One fetch per leader, in parallel; each moves its partitions' offsets on as it returns. */
  private async fetchRound(next: Map<string, Assignment>, opts: ReadOptions): Promise<FetchedRecord[][]> {
    const byLeader = new Map<string, Assignment[]>();
    for (const a of next.values()) {
      const leader = Object.keys(this.cluster.findLeaderForPartitions(a.topic, [a.partition]))[0] ?? '';
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), a]);
    }
    return Promise.all([...byLeader].map(([nodeId, list]) => this.fetchFrom(nodeId, list, next, opts)));
  }

  private async fetchFrom(
    nodeId: string,
    list: Assignment[],
    next: Map<string, Assignment>,
    opts: ReadOptions,
  ): Promise<FetchedRecord[]> {
    const broker = await this.cluster.findBroker({ nodeId });
    const topics = new Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>();
    for (const a of list) {
      const ps = topics.get(a.topic) ?? [];
      ps.push({
        partition: a.partition,
        fetchOffset: String(a.from),
        maxBytes: opts.partitionMaxBytes ?? PARTITION_FETCH_BYTES,
      });
      topics.set(a.topic, ps);
    }
    // kafkajs's broker connection and request, our decoder (src/lib/kafka/wire).
    const res = await fetchRecords(broker as unknown as WireBroker, {
      isolationLevel: 0,
      maxWaitTime: opts.maxWaitMs ?? 500,
      minBytes: 1,
      maxBytes: opts.maxBytes ?? FETCH_BYTES,
      topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
      lazyHeaders: opts.lazyHeaders,
    });
    const batch: FetchedRecord[] = [];
    for (const p of res.partitions) {
      const a = next.get(key(p.topic, p.partition));
      if (!a) continue;
      if (p.errorCode !== 0) throw fetchError(p, a.from);
      for (const r of p.records) {
        // A fetch returns whole batches: skip records before our offset and anything at or
        // past `until` (control records never reach here).
        if (r.offset < a.from) continue;
        if (a.until !== undefined && r.offset >= a.until) break;
        batch.push(r);
        a.from = r.offset + 1;
      }
      // Past batches that held only skipped records (control batches, compacted gaps), move on anyway.
      const after = p.nextOffset;
      if (after !== null && after > a.from && (a.until === undefined || after <= a.until)) a.from = after;
      if (a.until !== undefined && a.from >= a.until) next.delete(key(a.topic, a.partition));
    }
    return batch;
  }
}

/**
 * Bytes per fetch, per partition and in all. Small on purpose: every record of a fetch is alive
 * until the caller has written it, and a 16 MB fetch (150,000 small records) outgrows V8's young
 * generation, so they were copied and promoted, then collected by full GCs, which cost more than
 * decoding. At 1 MB the records die young; Kafka still returns a batch larger than the limit
 * (KIP-74), and the next fetch is already in flight while the caller writes.
 */
const PARTITION_FETCH_BYTES = 512 * 1024;
const FETCH_BYTES = 1024 * 1024;

interface ReadOptions {
  /** Leave headers raw until read; read them with headerText() (see LazyHeadersRecord). */
  lazyHeaders?: boolean;
  maxWaitMs?: number;
  maxBytes?: number;
  partitionMaxBytes?: number;
  signal?: AbortSignal;
}

/** OFFSET_OUT_OF_RANGE (1) in words; any other partition error as kafkajs's error for the code. */
function fetchError(p: FetchedPartition, offset: number): Error {
  if (p.errorCode === 1) {
    return new EbError(`offset ${offset} of ${p.topic} partition ${p.partition} is out of range`, {
      hint: 'the log no longer holds it (retention or delete-records removed it) or it is past the end; see `eventbench topic describe`',
    });
  }
  return kafkajsInternals().createErrorFromCode(p.errorCode);
}

export function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
