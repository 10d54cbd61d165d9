// An in-memory LogStore for handler and server tests: keeps batches as bytes, rewrites base
// offsets, and answers reads by whole batches like the real log. No CRC check, no files.
import { randomBytes } from 'node:crypto';
import {
  KafkaError,
  type AppendResult,
  type Durability,
  type LogStore,
  type OffsetAndTimestamp,
  type PartitionView,
  type ReadResult,
  type TopicInfo,
} from '../../../../src/lib/broker/log/types.js';
import { ErrorCode } from '../../../../src/lib/broker/protocol/error-codes.js';

interface Batch {
  base: bigint;
  last: bigint;
  maxTs: bigint;
  bytes: Buffer;
}

interface Part {
  start: bigint;
  end: bigint;
  batches: Batch[];
}

const DEFAULTS: Record<string, string> = { 'retention.ms': '604800000', 'cleanup.policy': 'delete' };

export class MemoryLog implements LogStore {
  private readonly topics = new Map<string, { info: TopicInfo; parts: Part[] }>();
  private readonly listeners = new Set<(t: string, p: number) => void>();

  listTopics(): TopicInfo[] {
    return [...this.topics.values()].map((t) => t.info);
  }
  getTopic(name: string): TopicInfo | undefined {
    return this.topics.get(name)?.info;
  }
  getTopicById(id: Buffer): TopicInfo | undefined {
    return this.listTopics().find((t) => t.id.equals(id));
  }
  createTopic(name: string, partitions: number, configs: Record<string, string>): TopicInfo {
    if (this.topics.has(name)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS);
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name)) throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION);
    if (partitions < 1) throw new KafkaError(ErrorCode.INVALID_PARTITIONS);
    for (const k of Object.keys(configs))
      if (!(k in DEFAULTS)) throw new KafkaError(ErrorCode.INVALID_CONFIG, k);
    const info: TopicInfo = { name, id: randomBytes(16), partitions, configs: { ...configs } };
    const parts = Array.from({ length: partitions }, () => ({ start: 0n, end: 0n, batches: [] }));
    this.topics.set(name, { info, parts });
    return info;
  }
  deleteTopic(name: string): void {
    if (!this.topics.delete(name)) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  }
  createPartitions(name: string, total: number): void {
    const t = this.topics.get(name);
    if (!t) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    if (total <= t.info.partitions) throw new KafkaError(ErrorCode.INVALID_PARTITIONS);
    while (t.parts.length < total) t.parts.push({ start: 0n, end: 0n, batches: [] });
    t.info = { ...t.info, partitions: total };
  }
  alterConfigs(name: string, configs: Record<string, string | null>, replace: boolean): void {
    const t = this.topics.get(name);
    if (!t) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const next: Record<string, string> = replace ? {} : { ...t.info.configs };
    for (const [k, v] of Object.entries(configs)) {
      if (!(k in DEFAULTS)) throw new KafkaError(ErrorCode.INVALID_CONFIG, `unknown config ${k}`);
      if (v === null) delete next[k];
      else next[k] = v;
    }
    t.info = { ...t.info, configs: next };
  }
  describeConfigs(name: string): { name: string; value: string; isDefault: boolean }[] {
    const t = this.topics.get(name);
    if (!t) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    return Object.entries(DEFAULTS).map(([k, v]) => {
      const set = t.info.configs[k];
      return { name: k, value: set ?? v, isDefault: set === undefined };
    });
  }
  private part(topic: string, partition: number): Part {
    const p = this.topics.get(topic)?.parts[partition];
    if (!p) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    return p;
  }
  async append(
    topic: string,
    partition: number,
    batches: Buffer,
    _durability?: Durability,
  ): Promise<AppendResult> {
    const p = this.part(topic, partition);
    const first = p.end;
    let at = 0;
    while (at < batches.length) {
      if (batches.length - at < 61) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE);
      const size = 12 + batches.readInt32BE(at + 8);
      const bytes = Buffer.from(batches.subarray(at, at + size));
      const lastDelta = BigInt(bytes.readInt32BE(23));
      bytes.writeBigInt64BE(p.end, 0);
      p.batches.push({ base: p.end, last: p.end + lastDelta, maxTs: bytes.readBigInt64BE(35), bytes });
      p.end += lastDelta + 1n;
      at += size;
    }
    for (const l of this.listeners) l(topic, partition);
    return { baseOffset: first, logAppendTime: -1n, logStartOffset: p.start };
  }
  read(topic: string, partition: number, offset: bigint, maxBytes: number): ReadResult {
    const p = this.part(topic, partition);
    if (offset < p.start || offset > p.end) throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE);
    const out: Buffer[] = [];
    let size = 0;
    for (const b of p.batches) {
      if (b.last < offset) continue;
      if (out.length > 0 && size + b.bytes.length > maxBytes) break;
      out.push(b.bytes);
      size += b.bytes.length;
    }
    return { records: Buffer.concat(out), highWatermark: p.end, logStartOffset: p.start };
  }
  logStartOffset(topic: string, partition: number): bigint {
    return this.part(topic, partition).start;
  }
  logEndOffset(topic: string, partition: number): bigint {
    return this.part(topic, partition).end;
  }
  offsetForTimestamp(topic: string, partition: number, ts: bigint): OffsetAndTimestamp | null {
    const p = this.part(topic, partition);
    const b = p.batches.find((x) => x.maxTs >= ts && x.last >= p.start);
    return b ? { offset: b.base > p.start ? b.base : p.start, timestamp: b.maxTs } : null;
  }
  deleteRecords(topic: string, partition: number, beforeOffset: bigint): bigint {
    const p = this.part(topic, partition);
    const target = beforeOffset === -1n ? p.end : beforeOffset;
    if (target > p.end || target < 0n) throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE);
    if (target > p.start) p.start = target;
    return p.start;
  }
  onAppend(listener: (topic: string, partition: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  enforceRetention(): void {}
  inspect(topic: string): PartitionView[] {
    const t = this.topics.get(topic);
    if (!t) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    return t.parts.map((p, i) => ({
      partition: i,
      logStartOffset: p.start,
      logEndOffset: p.end,
      bytes: p.batches.reduce((n, b) => n + b.bytes.length, 0),
      segments: [
        {
          baseOffset: 0n,
          nextOffset: p.end,
          bytes: 0,
          file: 'memory',
          maxTimestamp: p.batches.reduce((m, b) => (b.maxTs > m ? b.maxTs : m), -1n),
          offsetIndexEntries: 0,
          timeIndexEntries: 0,
        },
      ],
    }));
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  get listenerCount(): number {
    return this.listeners.size;
  }
}
