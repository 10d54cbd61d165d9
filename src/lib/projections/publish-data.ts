import {
  DEFAULT_PARTITIONS,
  type GeneratedRecord,
  type GenerateOptions,
  generateResolved,
  resolveOptions,
  TOPIC_PREFIX,
} from '../events/index.js';
import { EbError } from '../cli/errors.js';
import type { KafkaSession } from '../kafka/client.js';
import { produceRecords } from '../kafka/produce.js';
import { createTopic, deleteTopics } from '../kafka/topics.js';

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
  onCreated?: (name: string) => void,
): Promise<string[]> {
  const topics = domains.map((d) => `${prefix}.${d}.${shape}`);
  for (const name of topics) {
    const r = await createTopic(session, {
      name,
      partitions: DEFAULT_PARTITIONS,
      replicationFactor: 1,
      configs: {},
      ifNotExists: true,
    });
    if (r.created) onCreated?.(name);
  }
  return topics;
}

/**
 * The topics a drill or comparison creates for itself, deleted again when it ends, however it
 * ends. Only topics it created: a topic that was already there (a --prefix the user chose) stays.
 */
export class ScratchTopics {
  readonly created: string[] = [];
  private finished: { deleted: string[]; left: string[] } | undefined;

  constructor(private readonly session: KafkaSession) {}

  ensure(prefix: string, domains: readonly string[], shape: string): Promise<string[]> {
    return ensureTopics(this.session, prefix, domains, shape, (name) => this.created.push(name));
  }

  /**
   * Deletes what we created unless `keep`. Never throws, so the run's own result or error stands;
   * a failed delete is reported through `warn` and its topics count as left.
   */
  async finish(keep: boolean, warn?: (text: string) => void): Promise<{ deleted: string[]; left: string[] }> {
    this.finished ??= await this.cleanUp(keep, warn);
    return this.finished;
  }

  private async cleanUp(keep: boolean, warn?: (text: string) => void) {
    if (keep) return { deleted: [], left: [...this.created] };
    try {
      return { deleted: await this.remove(), left: [] };
    } catch (err) {
      const left = [...this.created];
      warn?.(
        `could not delete topics ${left.join(', ')}: ${(err as Error).message}; delete them with \`eventbench topic delete\``,
      );
      return { deleted: [], left };
    }
  }

  /** Deletes what we created; returns the names. */
  private async remove(): Promise<string[]> {
    const names = [...this.created];
    if (names.length) await deleteTopics(this.session, names);
    this.created.length = 0;
    return names;
  }
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

/** A scratch run stopped by Ctrl-C or a signal: exit 1, saying what happened to its topics. */
export function interrupted(what: string, keep: boolean): EbError {
  return new EbError(`${what} interrupted`, {
    hint: keep ? 'its topics were kept (--keep-topics)' : 'the topics it created were deleted',
  });
}

/** One line on what became of a scratch run's topics. */
export function topicsNote(deleted: readonly string[], left: readonly string[]): string {
  if (left.length) return `topics left on the broker: ${left.join(', ')}`;
  return `deleted the ${deleted.length} topics it created`;
}
