import { asUsageError } from '../cli/errors.js';
import {
  type PartitionBounds,
  type Position,
  type ResolveOptions,
  type ResolvedOffset,
  resolvePosition,
  timestampsNeeded,
} from '../positions/index.js';
import { type Assignment, key, type PartitionReader } from './partition-reader.js';

export interface ResolveAssignmentsOptions {
  from: Position;
  /** Exclusive stop position; `end`/`latest` = the end offsets as they are now. */
  until?: Position;
  /** Only these partitions (default: all). */
  partitions?: number[];
  onWarning?: (message: string) => void;
}

/**
 * Turns --from/--until positions into concrete per-partition offset ranges, using the broker's
 * log bounds and ListOffsets-by-timestamp. All I/O for the pure positions module happens here.
 */
export async function resolveAssignments(
  reader: PartitionReader,
  topics: string[],
  opts: ResolveAssignmentsOptions,
): Promise<Assignment[]> {
  const bounds = await reader.bounds(topics);
  const out: Assignment[] = [];
  for (const topic of topics) {
    let partitions = reader.partitions(topic);
    if (opts.partitions) {
      const missing = opts.partitions.filter((p) => !partitions.includes(p));
      if (missing.length) {
        throw asUsageError(
          {
            message: `partition ${missing.join(',')} not in ${topic}`,
            hint: `${topic} has partitions ${partitions.join(',')}`,
          },
          '--partition',
        );
      }
      partitions = opts.partitions;
    }
    const pb: PartitionBounds[] = partitions.map((p) => ({
      partition: p,
      ...(bounds.get(key(topic, p)) ?? { start: 0, end: 0 }),
    }));
    const from = await resolveOne(reader, topic, opts.from, pb, {}, '--from');
    const until = opts.until
      ? new Map(
          (await resolveOne(reader, topic, opts.until, pb, { unlisted: { kind: 'end' } }, '--until')).map(
            (r) => [r.partition, r.offset],
          ),
        )
      : undefined;
    for (const f of from) {
      if (f.warning) opts.onWarning?.(`${topic}: ${f.warning}`);
      const u = until?.get(f.partition);
      out.push({ topic, partition: f.partition, from: f.offset, until: u });
    }
  }
  return out;
}

async function resolveOne(
  reader: PartitionReader,
  topic: string,
  pos: Position,
  pb: PartitionBounds[],
  ropts: ResolveOptions,
  flag: string,
): Promise<ResolvedOffset[]> {
  try {
    const needed = timestampsNeeded(
      pos,
      pb.map((b) => b.partition),
      ropts,
    );
    const found = await reader.listOffsets(
      needed.map((n) => ({ topic, partition: n.partition, timestamp: n.timestamp })),
    );
    const lookups = new Map(needed.map((n) => [n.partition, found.get(key(topic, n.partition)) ?? null]));
    return resolvePosition(pos, pb, lookups, ropts);
  } catch (err) {
    if ((err as Error).name === 'PositionError') throw asUsageError(err, flag);
    throw err;
  }
}
