import type { DomainName } from '../events/index.js';
import type { KafkaSession } from '../kafka/client.js';
import { existingTopics } from '../kafka/topics.js';
import { type Assignment, key, PartitionReader } from '../kafka/partition-reader.js';
import type { CheckpointWriter } from './checkpoint.js';
import type { ProjectionDef, SourceLookup } from './types.js';

/** What a notification event asks the source for. */
export interface NeedsLookup {
  readonly lookup?: { readonly domain: DomainName; readonly id: string };
}

/**
 * The services a notification consumer calls back for details ("where to look" in the event).
 * Each owning service is simulated by the latest state of its entities, read from that domain's
 * state-shape topic (<prefix>.<domain>.state): like a real callback it answers with the entity as
 * it is NOW, not as it was when the notification was sent. When the topic does not exist, or the
 * source is declared down, every call fails; calls, misses and the bytes they return are counted.
 */
export class SourceService implements SourceLookup {
  calls = 0;
  misses = 0;
  bytes = 0;
  private flushed = { calls: 0, misses: 0, bytes: 0 };
  private readonly state = new Map<string, Readonly<Record<string, unknown>>>();
  private readonly assignments: Assignment[] = [];

  constructor(
    private readonly reader: PartitionReader | undefined,
    topics: string[],
    private readonly down: boolean,
  ) {
    if (reader)
      for (const topic of topics)
        for (const partition of reader.partitions(topic))
          this.assignments.push({ topic, partition, from: 0 });
  }

  get available(): boolean {
    return !this.down && this.reader !== undefined;
  }

  lookup(domain: DomainName, id: string): Readonly<Record<string, unknown>> | undefined {
    this.calls++;
    const found = this.available ? this.state.get(`${domain}/${id}`) : undefined;
    if (!found) this.misses++;
    else this.bytes += JSON.stringify(found).length;
    return found;
  }

  /** Before a batch: if an entity it will ask for is not known yet, catch up on the source. */
  async prepare(events: unknown[]): Promise<void> {
    if (!this.available) return;
    const missing = events.some((e) => {
      const l = (e as NeedsLookup | undefined)?.lookup;
      return l !== undefined && !this.state.has(`${l.domain}/${l.id}`);
    });
    if (missing) await this.catchUp();
  }

  /** Reads the source topics from where we were to their current end. */
  async catchUp(): Promise<void> {
    if (!this.reader) return;
    const topics = [...new Set(this.assignments.map((a) => a.topic))];
    const bounds = await this.reader.bounds(topics);
    for (const a of this.assignments) a.until = bounds.get(key(a.topic, a.partition))?.end ?? a.from;
    for await (const batch of this.reader.read(this.assignments.map((a) => ({ ...a })))) {
      for (const r of batch) {
        const domain = r.topic.split('.').at(-2) ?? '';
        if (r.value && r.key)
          this.state.set(`${domain}/${r.key.toString('utf8')}`, JSON.parse(r.value.toString('utf8')));
      }
    }
    for (const a of this.assignments) a.from = a.until ?? a.from;
  }

  /** Inside the projection's transaction: the calls made since the last flush. */
  flushCounts(writer: CheckpointWriter): void {
    writer.count('callbacks', this.calls - this.flushed.calls);
    writer.count('callback-misses', this.misses - this.flushed.misses);
    writer.count('callback-bytes', this.bytes - this.flushed.bytes);
    this.flushed = { calls: this.calls, misses: this.misses, bytes: this.bytes };
  }
}

export async function openSource(
  session: KafkaSession,
  def: ProjectionDef,
  prefix: string,
  down: boolean,
): Promise<SourceService> {
  const wanted = def.domains.map((d) => `${prefix}.${d}.state`);
  const exist = await existingTopics(await session.admin(), wanted);
  const topics = wanted.filter((t) => exist.has(t));
  if (down || topics.length === 0) return new SourceService(undefined, [], true);
  const source = new SourceService(await PartitionReader.open(session, topics), topics, false);
  await source.catchUp();
  return source;
}
