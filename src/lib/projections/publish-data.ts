import {
  DEFAULT_PARTITIONS,
  type GeneratedRecord,
  type GenerateOptions,
  generateResolved,
  resolveOptions,
  TOPIC_PREFIX,
} from '../events/index.js';
import type { KafkaSession } from '../kafka/client.js';
import { produceRecords } from '../kafka/produce.js';
import { createTopic } from '../kafka/topics.js';

/**
 * Generated records under a topic prefix: the catalogue's `eb.<domain>.<shape>` becomes
 * `<prefix>.<domain>.<shape>`, so drills, comparisons and tests get topics of their own.
 */
export function* generatePrefixed(opts: GenerateOptions, prefix: string): Generator<GeneratedRecord> {
  const resolved = resolveOptions(opts);
  const cut = TOPIC_PREFIX.length;
  for (const r of generateResolved(resolved))
    yield prefix === TOPIC_PREFIX ? r : { ...r, topic: prefix + r.topic.slice(cut) };
}

/** Topics for the domains and shape under the prefix, created when missing. */
export async function ensureTopics(
  session: KafkaSession,
  prefix: string,
  domains: readonly string[],
  shape: string,
): Promise<string[]> {
  const topics = domains.map((d) => `${prefix}.${d}.${shape}`);
  for (const name of topics)
    await createTopic(session, {
      name,
      partitions: DEFAULT_PARTITIONS,
      replicationFactor: 1,
      configs: {},
      ifNotExists: true,
    });
  return topics;
}

/** Sends records (already carrying their topics) keyed by entity; returns how many and bytes. */
export async function sendRecords(
  session: KafkaSession,
  records: Iterable<GeneratedRecord> | AsyncIterable<GeneratedRecord>,
): Promise<{ count: number; bytes: number }> {
  const s = await produceRecords(session, records, {
    topic: 'unused',
    useRecordTopic: true,
    acks: -1,
    compression: 'none',
  });
  return { count: s.count, bytes: s.bytes };
}
