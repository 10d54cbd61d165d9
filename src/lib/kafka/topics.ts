import type { Admin } from 'kafkajs';
import { EbError, usageError } from '../cli/errors.js';
import { type KafkaSession, loadKafkajs } from './client.js';

export interface PartitionOffsets {
  partition: number;
  /** Log start offset. */
  earliest: number;
  /** Log end offset (the next offset to be written). */
  latest: number;
}

export interface TopicSummary {
  name: string;
  partitions: number;
  /** Sum over partitions of log end minus log start. */
  records: number;
  internal: boolean;
}

export interface PartitionDetail extends PartitionOffsets {
  leader: number;
  replicas: number[];
  isr: number[];
  records: number;
}

export interface TopicConfigEntry {
  name: string;
  value: string | null;
  /** False only for a value set on the topic itself (an override); broker-level values count as defaults. */
  isDefault: boolean;
  isSensitive: boolean;
  readOnly: boolean;
}

export interface TopicDetail {
  name: string;
  partitions: PartitionDetail[];
  records: number;
  configs: TopicConfigEntry[];
}

/** "retention.ms=1000" → ["retention.ms", "1000"], with a usage error naming the flag. */
export function parseConfigPairs(pairs: string[] | undefined, flag = '--config'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw usageError(`${flag} "${p}" is not key=value`, 'e.g. --config retention.ms=86400000');
    out[p.slice(0, i).trim()] = p.slice(i + 1);
  }
  return out;
}

export async function topicOffsets(admin: Admin, topic: string): Promise<PartitionOffsets[]> {
  const offs = await admin.fetchTopicOffsets(topic);
  return offs
    .map((o) => ({ partition: o.partition, earliest: Number(o.low), latest: Number(o.high) }))
    .sort((a, b) => a.partition - b.partition);
}

export async function createTopic(
  session: KafkaSession,
  opts: {
    name: string;
    partitions: number;
    replicationFactor: number;
    configs: Record<string, string>;
    ifNotExists: boolean;
  },
): Promise<{ topic: string; created: boolean; partitions: number }> {
  const admin = await session.admin();
  const existing = await existingTopics(admin, [opts.name]);
  if (existing.has(opts.name)) {
    if (!opts.ifNotExists) {
      throw usageError(
        `topic "${opts.name}" already exists`,
        'pass --if-not-exists to accept an existing topic',
      );
    }
    const meta = await admin.fetchTopicMetadata({ topics: [opts.name] });
    return { topic: opts.name, created: false, partitions: meta.topics[0]?.partitions.length ?? 0 };
  }
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: opts.name,
        numPartitions: opts.partitions,
        replicationFactor: opts.replicationFactor,
        configEntries: Object.entries(opts.configs).map(([name, value]) => ({ name, value })),
      },
    ],
  });
  return { topic: opts.name, created: true, partitions: opts.partitions };
}

export async function existingTopics(admin: Admin, names?: string[]): Promise<Set<string>> {
  const all = new Set(await admin.listTopics());
  return names ? new Set(names.filter((n) => all.has(n))) : all;
}

export async function requireTopics(admin: Admin, names: string[]): Promise<void> {
  const have = await existingTopics(admin, names);
  const missing = names.filter((n) => !have.has(n));
  if (missing.length) {
    throw new EbError(`topic${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')}`, {
      hint: 'list topics with `eventbench topic list`, or create one with `eventbench topic create`',
    });
  }
}

export async function listTopics(
  session: KafkaSession,
  opts: { internal: boolean },
): Promise<TopicSummary[]> {
  const admin = await session.admin();
  const names = [...(await existingTopics(admin))].filter((n) => opts.internal || !n.startsWith('__')).sort();
  const out: TopicSummary[] = [];
  for (const name of names) {
    const offs = await topicOffsets(admin, name);
    out.push({
      name,
      partitions: offs.length,
      records: offs.reduce((n, o) => n + (o.latest - o.earliest), 0),
      internal: name.startsWith('__'),
    });
  }
  return out;
}

export async function describeTopic(session: KafkaSession, name: string): Promise<TopicDetail> {
  const admin = await session.admin();
  await requireTopics(admin, [name]);
  const meta = await admin.fetchTopicMetadata({ topics: [name] });
  const offs = new Map((await topicOffsets(admin, name)).map((o) => [o.partition, o]));
  const partitions: PartitionDetail[] = (meta.topics[0]?.partitions ?? [])
    .map((p) => {
      const o = offs.get(p.partitionId) ?? { earliest: 0, latest: 0 };
      return {
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        earliest: o.earliest,
        latest: o.latest,
        records: o.latest - o.earliest,
      };
    })
    .sort((a, b) => a.partition - b.partition);
  return {
    name,
    partitions,
    records: partitions.reduce((n, p) => n + p.records, 0),
    configs: await topicConfigs(admin, name),
  };
}

/** DescribeConfigs config_source 1: DYNAMIC_TOPIC_CONFIG, a value set on the topic itself. */
const TOPIC_CONFIG_SOURCE = 1;

export async function topicConfigs(admin: Admin, name: string, keys?: string[]): Promise<TopicConfigEntry[]> {
  const { ConfigResourceTypes } = await loadKafkajs();
  const res = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [
      { type: ConfigResourceTypes.TOPIC, name, configNames: keys && keys.length ? keys : undefined },
    ],
  });
  return (res.resources[0]?.configEntries ?? [])
    .map((c) => ({
      name: c.configName,
      value: c.isSensitive ? null : c.configValue,
      // Only a topic-level setting is an override. kafkajs's isDefault is false for broker-level
      // values too (static or dynamic broker config, e.g. min.insync.replicas in Kafka 4), and
      // treating those as overrides would copy them onto the topic at the next `config set`.
      isDefault: c.configSource !== TOPIC_CONFIG_SOURCE,
      isSensitive: c.isSensitive,
      readOnly: c.readOnly,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * AlterConfigs (the API kafkajs speaks) replaces a topic's whole set of overrides, so we send the
 * current overrides plus the change; otherwise setting one key would silently reset the others.
 */
export async function setTopicConfigs(
  session: KafkaSession,
  name: string,
  changes: Record<string, string | null>,
): Promise<TopicConfigEntry[]> {
  const admin = await session.admin();
  await requireTopics(admin, [name]);
  const current = await topicConfigs(admin, name);
  const known = new Set(current.map((c) => c.name));
  const unknown = Object.keys(changes).filter((k) => !known.has(k));
  if (unknown.length) {
    throw usageError(`unknown topic config ${unknown.join(', ')}`, `known keys: ${[...known].join(', ')}`);
  }
  const overrides = new Map(
    current
      .filter((c) => !c.isDefault && !c.readOnly && c.value !== null)
      .map((c) => [c.name, c.value as string]),
  );
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) overrides.delete(k);
    else overrides.set(k, v);
  }
  const { ConfigResourceTypes } = await loadKafkajs();
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name,
        configEntries: [...overrides].map(([n, value]) => ({ name: n, value })),
      },
    ],
  });
  return topicConfigs(admin, name, Object.keys(changes));
}

export async function deleteTopics(session: KafkaSession, names: string[]): Promise<string[]> {
  const admin = await session.admin();
  await requireTopics(admin, names);
  await admin.deleteTopics({ topics: names });
  return names;
}
