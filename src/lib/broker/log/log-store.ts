/**
 * The file-backed LogStore: topics.json plus one directory of segments per partition.
 *
 *   <dataDir>/topics.json                     topics: name, id, partitions, configs set
 *   <dataDir>/.clean-shutdown                 present only between close() and the next open
 *   <dataDir>/log/<topic>-<partition>/
 *       00000000000000000000.log              record batches as produced, baseOffset rewritten
 *       00000000000000000000.index            sparse offset index
 *       00000000000000000000.timeindex        sparse time index
 *       log-start-offset, recovery-point      checkpoints (atomic writes)
 *       producer-state.json                   idempotent-producer state, written at close
 *
 * Flush policy (as Kafka with acks): an append with durability 'fsync' (acks=all) resolves only
 * after its data is fsynced; concurrent such appends share one fsync (group commit). An append
 * with 'none' (acks=1) resolves once the data is written to the OS (a process crash loses
 * nothing; a machine crash may lose up to flushIntervalMs of acks=1 data), and a timer fsyncs
 * dirty partitions every flushIntervalMs (default 1000). flushIntervalMs 0 fsyncs every append.
 * close() fsyncs everything.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '../protocol/error-codes.js';
import { fsyncDir, unlinkIfExists, writeFileAtomic } from './atomic-file.js';
import { writeProducerSnapshot } from './checkpoints.js';
import { effectiveConfig, type EffectiveConfig } from './configs.js';
import { GroupCommit } from './group-commit.js';
import { PartitionLog } from './partition-log.js';
import { loadPartition } from './recovery.js';
import { enforcePartitionRetention } from './retention.js';
import { offsetForTimestamp } from './timestamp-search.js';
import { TopicRegistry } from './topic-registry.js';
import {
  KafkaError,
  type AppendResult,
  type Durability,
  type LogStore,
  type OffsetAndTimestamp,
  type PartitionView,
  type ReadResult,
  type TopicInfo,
} from './types.js';

export interface LogStoreOptions {
  /** Directory holding topics.json and log/. */
  readonly dataDir?: string;
  /** Alias of dataDir. */
  readonly dir?: string;
  /** fsync period for acks=1 data, ms; default 1000; 0 = fsync every append. */
  readonly flushIntervalMs?: number;
  /** Default segment.bytes for topics that do not set it; default 64 MiB. */
  readonly segmentBytes?: number;
  readonly clock?: () => number;
  /** Told about recovery work at open (truncated tails); default silent. */
  readonly onRecovery?: (message: string) => void;
}

const CLEAN_SHUTDOWN = '.clean-shutdown';
const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export async function openLogStore(options: LogStoreOptions): Promise<LogStore> {
  return FileLogStore.open(options);
}

const partitionDirName = (topic: string, p: number) => `${topic}-${p}`;

export class FileLogStore implements LogStore {
  private readonly logs = new Map<string, PartitionLog[]>();
  private readonly listeners = new Set<(topic: string, partition: number) => void>();
  private readonly commit = new GroupCommit();
  private readonly timer: NodeJS.Timeout | null;
  private closed = false;

  private constructor(
    readonly dataDir: string,
    readonly logDir: string,
    private readonly registry: TopicRegistry,
    private readonly flushIntervalMs: number,
    private readonly clock: () => number,
  ) {
    this.timer =
      flushIntervalMs > 0
        ? setInterval(() => {
            this.commit.flushAll().catch(() => undefined); // appends waiting on it see the error
          }, flushIntervalMs)
        : null;
    this.timer?.unref();
  }

  static open(o: LogStoreOptions): FileLogStore {
    const dataDir = o.dataDir ?? o.dir;
    if (!dataDir) throw new Error('openLogStore needs dataDir');
    const logDir = join(dataDir, 'log');
    mkdirSync(logDir, { recursive: true });
    const marker = join(dataDir, CLEAN_SHUTDOWN);
    const clean = readdirSync(dataDir).includes(CLEAN_SHUTDOWN);
    // From here until close() a crash must look unclean.
    unlinkIfExists(marker);
    fsyncDir(dataDir);
    const registry = TopicRegistry.load(dataDir, o.segmentBytes ?? DEFAULT_SEGMENT_BYTES);
    const store = new FileLogStore(dataDir, logDir, registry, o.flushIntervalMs ?? 1000, o.clock ?? Date.now);
    const wanted = new Set<string>();
    for (const t of registry.list()) {
      const cfg = registry.effective(t.name);
      const parts: PartitionLog[] = [];
      for (let p = 0; p < t.partitions; p++) {
        wanted.add(partitionDirName(t.name, p));
        parts.push(store.openPartition(t.name, p, cfg, clean, o.onRecovery));
      }
      store.logs.set(t.name, parts);
    }
    // Directories of topics no longer in topics.json: a delete or create cut short by a crash.
    for (const name of readdirSync(logDir)) {
      if (!wanted.has(name)) rmSync(join(logDir, name), { recursive: true, force: true });
    }
    return store;
  }

  private openPartition(
    topic: string,
    p: number,
    cfg: EffectiveConfig,
    clean: boolean,
    onRecovery?: (m: string) => void,
  ): PartitionLog {
    const dir = join(this.logDir, partitionDirName(topic, p));
    mkdirSync(dir, { recursive: true });
    const l = loadPartition(dir, clean, cfg.indexIntervalBytes);
    if (l.truncatedBytes > 0 || l.droppedSegments > 0) {
      onRecovery?.(
        `${topic}-${p}: recovery cut ${l.truncatedBytes} bytes, dropped ${l.droppedSegments} segments`,
      );
    }
    return new PartitionLog(dir, topic, p, l.segments, l.logStartOffset, l.producers, cfg);
  }

  private partition(topic: string, p: number): PartitionLog {
    const log = this.logs.get(topic)?.[p];
    if (!log) {
      throw new KafkaError(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        `This server does not host this topic-partition: ${topic}-${p}`,
      );
    }
    return log;
  }

  listTopics(): TopicInfo[] {
    return this.registry.list();
  }

  getTopic(name: string): TopicInfo | undefined {
    return this.registry.get(name);
  }

  getTopicById(id: Buffer): TopicInfo | undefined {
    return this.registry.getById(id);
  }

  createTopic(name: string, partitions: number, configs: Record<string, string>): TopicInfo {
    this.registry.checkCreate(name, partitions, configs);
    const cfg = effectiveConfig(configs, this.registry.segmentBytes);
    // Directories first, then topics.json: a crash in between leaves strays that open() removes.
    const parts: PartitionLog[] = [];
    for (let p = 0; p < partitions; p++) parts.push(this.openPartition(name, p, cfg, true));
    const info = this.registry.create(name, partitions, configs);
    this.logs.set(name, parts);
    return info;
  }

  deleteTopic(name: string): void {
    const parts = this.logs.get(name);
    if (!parts) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
    this.registry.delete(name);
    this.logs.delete(name);
    for (const l of parts) {
      this.commit.forget(l);
      l.close();
      rmSync(l.dir, { recursive: true, force: true });
    }
    fsyncDir(this.logDir);
  }

  createPartitions(name: string, total: number): void {
    const parts = this.logs.get(name);
    if (!parts) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
    this.registry.checkPartitions(name, total);
    const cfg = this.registry.effective(name);
    for (let p = parts.length; p < total; p++) parts.push(this.openPartition(name, p, cfg, true));
    this.registry.setPartitions(name, total);
  }

  alterConfigs(name: string, configs: Record<string, string | null>, replace: boolean): void {
    this.registry.alter(name, configs, replace);
    const cfg = this.registry.effective(name);
    for (const l of this.logs.get(name) ?? []) l.config = cfg;
  }

  describeConfigs(name: string): { name: string; value: string; isDefault: boolean }[] {
    return this.registry.describe(name);
  }

  async append(
    topic: string,
    partition: number,
    batches: Buffer,
    durability: Durability,
  ): Promise<AppendResult> {
    if (this.closed) throw new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, 'the log store is closed');
    const log = this.partition(topic, partition);
    if (durability === 'fsync' && log.config.minInsyncReplicas > 1) {
      // One broker is one in-sync replica: acks=all cannot be met (Kafka's NotEnoughReplicas, 19).
      throw new KafkaError(
        NOT_ENOUGH_REPLICAS,
        `The size of the current ISR 1 is insufficient to satisfy the min.isr requirement of ${log.config.minInsyncReplicas} for partition ${topic}-${partition}`,
      );
    }
    const r = log.append(batches, this.clock());
    if (!r.duplicate) {
      for (const fn of this.listeners) fn(topic, partition);
      if (durability === 'fsync' || this.flushIntervalMs === 0) await this.commit.sync(log);
      else this.commit.markDirty(log);
    }
    return {
      baseOffset: BigInt(r.baseOffset),
      logAppendTime: BigInt(r.logAppendTime),
      logStartOffset: BigInt(log.logStartOffset),
    };
  }

  read(topic: string, partition: number, offset: bigint, maxBytes: number): ReadResult {
    const log = this.partition(topic, partition);
    const records = log.read(toNumber(offset, log), maxBytes);
    return { records, highWatermark: BigInt(log.logEndOffset), logStartOffset: BigInt(log.logStartOffset) };
  }

  logStartOffset(topic: string, partition: number): bigint {
    return BigInt(this.partition(topic, partition).logStartOffset);
  }

  logEndOffset(topic: string, partition: number): bigint {
    return BigInt(this.partition(topic, partition).logEndOffset);
  }

  offsetForTimestamp(topic: string, partition: number, ts: bigint): OffsetAndTimestamp | null {
    const hit = offsetForTimestamp(this.partition(topic, partition), Number(ts));
    return hit ? { offset: BigInt(hit.offset), timestamp: BigInt(hit.timestamp) } : null;
  }

  deleteRecords(topic: string, partition: number, beforeOffset: bigint): bigint {
    const log = this.partition(topic, partition);
    return BigInt(log.deleteRecords(beforeOffset === -1n ? -1 : toNumber(beforeOffset, log)));
  }

  onAppend(listener: (topic: string, partition: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  enforceRetention(nowMs: number): void {
    for (const [name, parts] of this.logs) {
      const compact = !this.registry.cleanupPolicy(name).includes('delete');
      for (const l of parts) enforcePartitionRetention(l, nowMs, compact);
    }
  }

  inspect(topic: string): PartitionView[] {
    const parts = this.logs.get(topic);
    if (!parts) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${topic} does not exist`);
    return parts.map((l) => ({
      partition: l.partition,
      logStartOffset: BigInt(l.logStartOffset),
      logEndOffset: BigInt(l.logEndOffset),
      bytes: l.bytes,
      segments: l.segments.map((s) => ({
        baseOffset: BigInt(s.baseOffset),
        nextOffset: BigInt(s.nextOffset),
        bytes: s.size,
        file: s.logPath,
        maxTimestamp: BigInt(s.maxTimestamp),
        offsetIndexEntries: s.offsetIndex.count,
        timeIndexEntries: s.timeIndex.count,
      })),
    }));
  }

  flush(): Promise<void> {
    for (const parts of this.logs.values()) for (const l of parts) this.commit.markDirty(l);
    return this.commit.flushAll();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    for (const parts of this.logs.values()) {
      for (const l of parts) {
        // Seal so the last max timestamp is in the time index, then persist and fsync indexes.
        l.active.seal();
        l.active.persistIndexes(true);
        writeProducerSnapshot(l.dir, { endOffset: l.logEndOffset, producers: l.producers.snapshot() });
        l.close();
      }
    }
    writeFileAtomic(join(this.dataDir, CLEAN_SHUTDOWN), `${new Date(this.clock()).toISOString()}\n`);
  }
}

/** Kafka's NOT_ENOUGH_REPLICAS; not in the shared ErrorCode table. */
const NOT_ENOUGH_REPLICAS = 19;

/** Offsets past 2^53 cannot exist in our logs; map them past the end so range checks fail. */
function toNumber(offset: bigint, log: PartitionLog): number {
  return offset > BigInt(Number.MAX_SAFE_INTEGER) ? log.logEndOffset + 1 : Number(offset);
}
