import type { RecordData } from '../records/jsonl.js';
import { FAULTS } from './envelope.js';
import type { GeneratedRecord } from './generator.js';
import { ALL_TYPES } from './registry.js';
import type { Fault } from './types.js';

export interface TypeCount {
  /** Catalogue id, e.g. "checkout.order-placed". */
  readonly type: string;
  readonly count: number;
}

export interface PartitionCount {
  readonly partition: number;
  readonly count: number;
}

export interface TopicCount {
  readonly topic: string;
  readonly count: number;
  /** Per partition, when the caller told us the partitions (ascending). */
  readonly partitions: readonly PartitionCount[];
}

/** Counts for `publish`'s summary table and its --json result. */
export interface GenerationSummary {
  readonly records: number;
  /** Key, value and header bytes (names and values), as they travel in a record. */
  readonly bytes: number;
  readonly byType: readonly TypeCount[];
  readonly byTopic: readonly TopicCount[];
  readonly faults: Readonly<Record<Fault, number>>;
}

const ORDER = new Map(ALL_TYPES.map((t, i) => [t.id, i]));

/** Accumulates a summary one record at a time, so publish can count while it streams. */
export class SummaryCounter {
  private records = 0;
  private bytes = 0;
  private readonly types = new Map<string, number>();
  private readonly topics = new Map<string, Map<number, number>>();
  private readonly topicTotals = new Map<string, number>();
  private readonly faults: Record<Fault, number> = { duplicate: 0, 'out-of-order': 0, late: 0 };

  /** `partition`: where the record went (from the produce result or partitionForKey). */
  add(r: GeneratedRecord, partition?: number): void {
    this.records++;
    this.bytes += recordBytes(r);
    this.types.set(r.type, (this.types.get(r.type) ?? 0) + 1);
    this.topicTotals.set(r.topic, (this.topicTotals.get(r.topic) ?? 0) + 1);
    let parts = this.topics.get(r.topic);
    if (!parts) this.topics.set(r.topic, (parts = new Map()));
    if (partition !== undefined) parts.set(partition, (parts.get(partition) ?? 0) + 1);
    if (r.fault) this.faults[r.fault]++;
  }

  result(): GenerationSummary {
    const byType = [...this.types]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => (ORDER.get(a.type) ?? 0) - (ORDER.get(b.type) ?? 0));
    const byTopic = [...this.topicTotals]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, count]) => ({
        topic,
        count,
        partitions: [...(this.topics.get(topic) ?? new Map<number, number>())]
          .sort(([a], [b]) => a - b)
          .map(([partition, n]) => ({ partition, count: n })),
      }));
    const faults = Object.fromEntries(FAULTS.map((f) => [f, this.faults[f]])) as Record<Fault, number>;
    return { records: this.records, bytes: this.bytes, byType, byTopic, faults };
  }
}

/** Summary of a finished stream (tests, dry runs). */
export function summarize(
  records: Iterable<GeneratedRecord>,
  partitionOf?: (r: GeneratedRecord) => number,
): GenerationSummary {
  const c = new SummaryCounter();
  for (const r of records) c.add(r, partitionOf?.(r));
  return c.result();
}

export function recordBytes(r: RecordData): number {
  let n = (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const name in r.headers) {
    const v = r.headers[name];
    n += name.length;
    if (Array.isArray(v)) for (const x of v) n += x?.length ?? 0;
    else n += (v as Buffer | null)?.length ?? 0;
  }
  return n;
}
