/**
 * The contract between the handlers and the partition log. The handlers (produce, fetch,
 * list-offsets, topics, configs, delete-records) see only this; log/ implements it on files.
 * Offsets and timestamps are bigint because the wire carries int64.
 */

export interface TopicInfo {
  readonly name: string;
  /** 16-byte topic id (Metadata v10+, Fetch v13+). */
  readonly id: Buffer;
  readonly partitions: number;
  /** Only configs set on the topic; defaults come from `defaultTopicConfigs`. */
  readonly configs: Readonly<Record<string, string>>;
}

export interface AppendResult {
  /** Offset given to the first record of the first batch appended. */
  readonly baseOffset: bigint;
  /** -1n unless the topic uses LogAppendTime. */
  readonly logAppendTime: bigint;
  readonly logStartOffset: bigint;
}

export interface ReadResult {
  /** Whole record batches, concatenated, as stored (baseOffset already rewritten). */
  readonly records: Buffer;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
}

export interface OffsetAndTimestamp {
  readonly offset: bigint;
  readonly timestamp: bigint;
}

export interface SegmentView {
  readonly baseOffset: bigint;
  readonly nextOffset: bigint;
  readonly bytes: number;
  readonly file: string;
  readonly maxTimestamp: bigint;
  readonly offsetIndexEntries: number;
  readonly timeIndexEntries: number;
}

export interface PartitionView {
  readonly partition: number;
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  readonly bytes: number;
  readonly segments: readonly SegmentView[];
}

/**
 * Thrown by LogStore methods for conditions Kafka reports as an error code
 * (UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE, CORRUPT_MESSAGE, TOPIC_ALREADY_EXISTS,
 * INVALID_PARTITIONS, INVALID_CONFIG, ...). Handlers catch it and put `code` in the response.
 */
export class KafkaError extends Error {
  constructor(
    readonly code: number,
    message?: string,
  ) {
    super(message ?? `kafka error ${code}`);
  }
}

export type Durability = 'fsync' | 'none';

export interface LogStore {
  listTopics(): TopicInfo[];
  getTopic(name: string): TopicInfo | undefined;
  getTopicById(id: Buffer): TopicInfo | undefined;
  /** Throws KafkaError(TOPIC_ALREADY_EXISTS | INVALID_PARTITIONS | INVALID_CONFIG | INVALID_TOPIC_EXCEPTION). */
  createTopic(name: string, partitions: number, configs: Record<string, string>): TopicInfo;
  /** Throws KafkaError(UNKNOWN_TOPIC_OR_PARTITION). Removes the files. */
  deleteTopic(name: string): void;
  /** Grows the partition count to `total`. Throws KafkaError(INVALID_PARTITIONS) when not larger. */
  createPartitions(name: string, total: number): void;
  /** null removes a key (back to default). Throws KafkaError(INVALID_CONFIG) for unknown keys or bad values. */
  alterConfigs(name: string, configs: Record<string, string | null>, replace: boolean): void;
  /** Effective configs with their defaults, for DescribeConfigs. */
  describeConfigs(name: string): { name: string; value: string; isDefault: boolean }[];

  /**
   * Appends record batches (one or more, magic 2) exactly as received, rewriting baseOffset.
   * Verifies each batch's CRC-32C first: on a mismatch nothing is written and it throws
   * KafkaError(CORRUPT_MESSAGE). Resolves when the batches are durable per `durability`
   * ('fsync' = acks=all, data fsynced; 'none' = written to the OS, flushed per flush policy).
   */
  append(topic: string, partition: number, batches: Buffer, durability: Durability): Promise<AppendResult>;
  /**
   * Whole batches starting with the one containing `offset`, up to about `maxBytes` (at least one
   * batch even if larger, as Kafka does). offset == end gives empty records. Throws
   * KafkaError(OFFSET_OUT_OF_RANGE) when offset < logStart or > end.
   */
  read(topic: string, partition: number, offset: bigint, maxBytes: number): ReadResult;
  logStartOffset(topic: string, partition: number): bigint;
  logEndOffset(topic: string, partition: number): bigint;
  /** Earliest offset whose record timestamp >= ts (via the time index), or null if none. */
  offsetForTimestamp(topic: string, partition: number, ts: bigint): OffsetAndTimestamp | null;
  /** Moves the log start offset forward (DeleteRecords); -1n means the end. Returns the new start. */
  deleteRecords(topic: string, partition: number, beforeOffset: bigint): bigint;
  /** Called after every append; the Fetch long-poll waits on it. Returns an unsubscribe function. */
  onAppend(listener: (topic: string, partition: number) => void): () => void;
  /** Applies retention.ms / retention.bytes: deletes whole old segments. */
  enforceRetention(nowMs: number): void;
  inspect(topic: string): PartitionView[];
  flush(): Promise<void>;
  close(): Promise<void>;
}
