import type { KafkaSession } from '../kafka/client.js';
import { key, PartitionReader } from '../kafka/partition-reader.js';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset; null when it never committed one for this partition. */
  committed: number | null;
  logStart: number;
  logEnd: number;
  /** logEnd − committed, as kafka-consumer-groups computes it; null when nothing is committed. */
  lag: number | null;
}

/**
 * Lag is the log end offset (high watermark) minus the committed offset. It is not clamped: a
 * committed offset past the end (after records were deleted) shows as negative, as Kafka's tool
 * shows it, rather than hiding the oddity.
 */
export function lagOf(committed: number | null, logEnd: number): number | null {
  return committed === null ? null : logEnd - committed;
}

/** Total of the known lags; partitions with nothing committed do not count. */
export function totalLag(parts: readonly { lag: number | null }[]): number {
  let sum = 0;
  for (const p of parts) if (p.lag !== null) sum += p.lag;
  return sum;
}

/**
 * The group's committed offsets for every topic it committed on (OffsetFetch with a null topic
 * list, v2+), keyed by key(topic, partition). Kafka answers -1 for "none"; those are left out.
 */
export async function committedOffsets(session: KafkaSession, groupId: string): Promise<Map<string, number>> {
  const admin = await session.admin();
  const topics = await admin.fetchOffsets({ groupId });
  const out = new Map<string, number>();
  for (const t of topics) {
    for (const p of t.partitions) {
      const n = Number(p.offset);
      if (n >= 0) out.set(key(t.topic, p.partition), n);
    }
  }
  return out;
}

/** Topics named in committed-offset keys. */
export function topicsOf(keys: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const k of keys) out.add(k.slice(0, k.indexOf('\u0000')));
  return [...out].sort();
}

/**
 * Log bounds of every partition of the topics that still exist, read through one reader, and
 * the partition list per topic. A group may hold offsets for a deleted topic; it is skipped.
 */
export class TopicBounds {
  private constructor(
    private readonly reader: PartitionReader | undefined,
    readonly topics: string[],
  ) {}

  static async open(session: KafkaSession, topics: readonly string[]): Promise<TopicBounds> {
    const admin = await session.admin();
    const existing = new Set(await admin.listTopics());
    const present = [...new Set(topics)].filter((t) => existing.has(t)).sort();
    if (present.length === 0) return new TopicBounds(undefined, []);
    return new TopicBounds(await PartitionReader.open(session, present), present);
  }

  partitions(topic: string): number[] {
    return this.reader && this.topics.includes(topic) ? this.reader.partitions(topic) : [];
  }

  async bounds(): Promise<Map<string, { start: number; end: number }>> {
    return this.reader ? this.reader.bounds(this.topics) : new Map();
  }

  /** The reader, for timestamp look-ups (ListOffsets) on the same connections. */
  get partitionReader(): PartitionReader | undefined {
    return this.reader;
  }
}

/** One row per partition of the topics: committed, bounds and lag. */
export function lagRows(
  topics: readonly string[],
  partitionsOf: (topic: string) => number[],
  bounds: ReadonlyMap<string, { start: number; end: number }>,
  committed: ReadonlyMap<string, number>,
): PartitionLag[] {
  const rows: PartitionLag[] = [];
  for (const topic of topics) {
    for (const partition of partitionsOf(topic)) {
      const k = key(topic, partition);
      const b = bounds.get(k) ?? { start: 0, end: 0 };
      const c = committed.get(k) ?? null;
      rows.push({ topic, partition, committed: c, logStart: b.start, logEnd: b.end, lag: lagOf(c, b.end) });
    }
  }
  return rows;
}
