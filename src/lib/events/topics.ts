import { DOMAINS, SHAPES, type DomainName, type Shape } from './types.js';

/**
 * Topic convention: one topic per domain and shape, `eb.<domain>.<shape>`, e.g.
 * `eb.checkout.sourcing`, `eb.checkout.state`, `eb.checkout.notification`. A topic holds one
 * shape only, so a consumer knows how to read every value in it; the domain's events share a
 * topic (rather than one per type) because per-key order across an entity's event types is the
 * ordering guarantee we teach, and Kafka only orders within a partition of one topic.
 */
export const TOPIC_PREFIX = 'eb';

/**
 * Three partitions: enough to show keys spreading over partitions and per-partition order, few
 * enough to read in a terminal. Keys (entity ids) decide the partition.
 */
export const DEFAULT_PARTITIONS = 3;

export function topicFor(domain: DomainName, shape: Shape): string {
  return `${TOPIC_PREFIX}.${domain}.${shape}`;
}

export interface TopicSpec {
  readonly topic: string;
  readonly partitions: number;
  /** The domains whose events go there (several when one topic is forced with `topic`). */
  readonly domains: readonly DomainName[];
  readonly shape: Shape;
}

/** The topics a generation writes to, for `publish` to create before sending. */
export function topicsFor(domains: readonly DomainName[], shape: Shape, topic?: string): TopicSpec[] {
  if (topic !== undefined) return [{ topic, partitions: DEFAULT_PARTITIONS, domains: [...domains], shape }];
  return domains.map((d) => ({
    topic: topicFor(d, shape),
    partitions: DEFAULT_PARTITIONS,
    domains: [d],
    shape,
  }));
}

/** Reads a conventional topic name back; undefined for any other name. */
export function parseTopic(topic: string): { domain: DomainName; shape: Shape } | undefined {
  const [prefix, domain, shape, ...rest] = topic.split('.');
  if (prefix !== TOPIC_PREFIX || rest.length) return undefined;
  if (!DOMAINS.includes(domain as DomainName) || !SHAPES.includes(shape as Shape)) return undefined;
  return { domain: domain as DomainName, shape: shape as Shape };
}

/** Kafka's own rule for topic names (legal characters, at most 249, not "." or ".."). */
export function isLegalTopicName(name: string): boolean {
  return /^[a-zA-Z0-9._-]{1,249}$/.test(name) && name !== '.' && name !== '..';
}
