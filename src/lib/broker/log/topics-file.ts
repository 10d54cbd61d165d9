/**
 * `<dataDir>/topics.json`: every topic's name, id, partition count and the configs set on it.
 * Replaced atomically on every change (temp file, fsync, rename, fsync dir), so a crash leaves
 * the old or the new file, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ErrorCode } from '../protocol/error-codes.js';
import { readFileIfExists, writeFileAtomic } from './atomic-file.js';
import { KafkaError, type TopicInfo } from './types.js';

export const TOPICS_FILE = 'topics.json';

interface TopicRecord {
  name: string;
  id: string;
  partitions: number;
  configs: Record<string, string>;
}

export function loadTopics(dataDir: string): TopicInfo[] {
  const text = readFileIfExists(join(dataDir, TOPICS_FILE));
  if (text === undefined) return [];
  const doc = JSON.parse(text) as { version: number; topics: TopicRecord[] };
  if (doc.version !== 1 || !Array.isArray(doc.topics)) {
    throw new Error(`${join(dataDir, TOPICS_FILE)}: unsupported layout (version ${String(doc.version)})`);
  }
  return doc.topics.map((t) => ({
    name: t.name,
    id: Buffer.from(t.id, 'hex'),
    partitions: t.partitions,
    configs: { ...t.configs },
  }));
}

export function saveTopics(dataDir: string, topics: Iterable<TopicInfo>): void {
  const list: TopicRecord[] = [];
  for (const t of topics) {
    list.push({
      name: t.name,
      id: t.id.toString('hex'),
      partitions: t.partitions,
      configs: { ...t.configs },
    });
  }
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  writeFileAtomic(join(dataDir, TOPICS_FILE), `${JSON.stringify({ version: 1, topics: list }, null, 2)}\n`);
}

/** A fresh topic id: 16 random bytes, never Kafka's reserved all-zero (ZERO_UUID) or 0...01 ids. */
export function newTopicId(): Buffer {
  for (;;) {
    const id = randomBytes(16);
    const reserved = id.subarray(0, 15).every((b) => b === 0) && (id[15] === 0 || id[15] === 1);
    if (!reserved) return id;
  }
}

const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_NAME = 249;

/** Kafka's Topic.validate: 1..249 chars of [a-zA-Z0-9._-], not "." or "..". */
export function validateTopicName(name: string): void {
  const bad = (why: string) =>
    new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Invalid topic name "${name}": ${why}`);
  if (name.length === 0) throw bad('the empty string is not allowed');
  if (name === '.' || name === '..') throw bad('"." and ".." are not allowed');
  if (name.length > MAX_NAME) throw bad(`longer than the maximum of ${MAX_NAME} characters`);
  if (!LEGAL.test(name)) throw bad('only ASCII alphanumerics, ".", "_" and "-" are allowed');
}

/** Kafka refuses names that differ only by "." versus "_" (they collide in metric names). */
export function collisionKey(name: string): string {
  return name.replace(/\./g, '_');
}
