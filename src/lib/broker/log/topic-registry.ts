/**
 * The topics the store knows, with Kafka's validation for creating them and changing their
 * configs. Every change is saved to topics.json before it is visible.
 */
import { ErrorCode } from '../protocol/error-codes.js';
import {
  defaultTopicConfigs,
  effectiveConfig,
  knownTopicConfigs,
  validateTopicConfig,
  type EffectiveConfig,
} from './configs.js';
import { collisionKey, loadTopics, newTopicId, saveTopics, validateTopicName } from './topics-file.js';
import { KafkaError, type TopicInfo } from './types.js';

export class TopicRegistry {
  private readonly byName = new Map<string, TopicInfo>();
  private readonly byId = new Map<string, TopicInfo>();

  private constructor(
    private readonly dataDir: string,
    readonly segmentBytes: number,
  ) {}

  static load(dataDir: string, segmentBytes: number): TopicRegistry {
    const r = new TopicRegistry(dataDir, segmentBytes);
    for (const t of loadTopics(dataDir)) r.put(t);
    return r;
  }

  private put(t: TopicInfo): void {
    this.byName.set(t.name, t);
    this.byId.set(t.id.toString('hex'), t);
  }

  private save(): void {
    saveTopics(this.dataDir, this.byName.values());
  }

  private must(name: string): TopicInfo {
    const t = this.byName.get(name);
    if (!t) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${name} does not exist`);
    return t;
  }

  list(): TopicInfo[] {
    return [...this.byName.values()];
  }

  get(name: string): TopicInfo | undefined {
    return this.byName.get(name);
  }

  getById(id: Buffer): TopicInfo | undefined {
    return this.byId.get(id.toString('hex'));
  }

  effective(name: string): EffectiveConfig {
    return effectiveConfig(this.must(name).configs, this.segmentBytes);
  }

  cleanupPolicy(name: string): string[] {
    const v = this.must(name).configs['cleanup.policy'] ?? 'delete';
    return v.split(',').map((s) => s.trim());
  }

  /** Kafka's CreateTopics checks, in its order: name, existence, partitions, configs. */
  checkCreate(name: string, partitions: number, configs: Record<string, string>): void {
    validateTopicName(name);
    if (this.byName.has(name)) {
      throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    }
    const key = collisionKey(name);
    for (const other of this.byName.keys()) {
      if (collisionKey(other) === key) {
        throw new KafkaError(
          ErrorCode.INVALID_TOPIC_EXCEPTION,
          `Topic '${name}' collides with existing topic: ${other}`,
        );
      }
    }
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
    }
    for (const [k, v] of Object.entries(configs)) validateTopicConfig(k, v);
  }

  create(name: string, partitions: number, configs: Record<string, string>): TopicInfo {
    this.checkCreate(name, partitions, configs);
    const info: TopicInfo = { name, id: newTopicId(), partitions, configs: { ...configs } };
    this.put(info);
    this.save();
    return info;
  }

  delete(name: string): void {
    const t = this.must(name);
    this.byName.delete(name);
    this.byId.delete(t.id.toString('hex'));
    this.save();
  }

  checkPartitions(name: string, total: number): void {
    const t = this.must(name);
    if (!Number.isInteger(total) || total <= t.partitions) {
      throw new KafkaError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic currently has ${t.partitions} partitions, which is higher than or equal to the requested ${total}.`,
      );
    }
  }

  setPartitions(name: string, total: number): void {
    const t = this.must(name);
    this.put({ ...t, partitions: total });
    this.save();
  }

  /** replace: the given keys become the whole set (AlterConfigs); else set/remove each (incremental). */
  alter(name: string, changes: Record<string, string | null>, replace: boolean): void {
    const t = this.must(name);
    for (const [k, v] of Object.entries(changes)) {
      if (v !== null) validateTopicConfig(k, v);
      else if (!knownTopicConfigs.includes(k)) validateTopicConfig(k, '');
    }
    const next: Record<string, string> = replace ? {} : { ...t.configs };
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    this.put({ ...t, configs: next });
    this.save();
  }

  describe(name: string): { name: string; value: string; isDefault: boolean }[] {
    const t = this.must(name);
    const defaults = defaultTopicConfigs(this.segmentBytes);
    return knownTopicConfigs.map((k) => {
      const set = t.configs[k];
      return set === undefined
        ? { name: k, value: defaults[k]!, isDefault: true }
        : { name: k, value: set, isDefault: false };
    });
  }
}
