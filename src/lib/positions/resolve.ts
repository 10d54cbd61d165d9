import { PositionError } from './errors.js';
import type { Position, SinglePosition } from './parse.js';

/*
 * Resolution in two pure steps, so no I/O happens here:
 *   1. timestampsNeeded() says which partitions need a timestamp → offset lookup (ListOffsets
 *      with a timestamp; kafkajs admin.fetchTopicOffsetsByTimestamp). The caller performs it.
 *   2. resolvePosition() turns the position, the partitions' bounds and the lookups into offsets.
 */

export interface PartitionBounds {
  partition: number;
  /** Log start offset (ListOffsets EARLIEST). */
  start: number;
  /** Log end offset / high watermark (ListOffsets LATEST): the offset the next record gets. */
  end: number;
  /** The group's committed offset; null or absent when it never committed. */
  committed?: number | null;
}

export interface ResolveOptions {
  /**
   * What `+N` / `-N` count from. 'bounds' (tail, replay; the default): +N after the log start,
   * -N before the log end. 'committed' (group rewind): the committed offset shifted by ±N, as
   * kafka-consumer-groups --shift-by does.
   */
  relativeTo?: 'bounds' | 'committed';
  /**
   * The position for partitions a per-partition map does not name, or 'exclude' (the default) to
   * leave them out of the result: tail reads only the named partitions, rewind leaves the others'
   * committed offsets alone.
   */
  unlisted?: SinglePosition | 'exclude';
}

export interface TimestampLookup {
  partition: number;
  /** Epoch ms: find the first record whose timestamp is at or after this. */
  timestamp: number;
}

/**
 * Per partition: the offset of the first record with timestamp >= the one asked for, or null when
 * there is none. Kafka answers "none" with offset -1; a negative value is read as null too, so a
 * future timestamp can never turn into -1 (the redpanda #6234 trap).
 */
export type TimestampLookups = ReadonlyMap<number, number | null>;

export interface ResolvedOffset {
  partition: number;
  offset: number;
  /** Set when the asked-for offset was clamped into the log; the caller prints it on stderr. */
  warning?: string;
  /** The position that applied to this partition (for previews). */
  source: SinglePosition;
}

/** Which partitions need a timestamp lookup, and for which time. Throws on unknown map partitions. */
export function timestampsNeeded(
  position: Position,
  partitions: readonly number[],
  opts: ResolveOptions = {},
): TimestampLookup[] {
  const out: TimestampLookup[] = [];
  for (const { partition, position: p } of perPartition(position, partitions, opts)) {
    if (p.kind === 'time') out.push({ partition, timestamp: p.ms });
  }
  return out;
}

/** Offsets for each partition, in the order of `partitions` (minus excluded ones). */
export function resolvePosition(
  position: Position,
  partitions: readonly PartitionBounds[],
  lookups: TimestampLookups = new Map(),
  opts: ResolveOptions = {},
): ResolvedOffset[] {
  const byId = new Map<number, PartitionBounds>();
  for (const b of partitions) {
    if (!(b.start >= 0 && b.end >= b.start)) {
      throw new Error(`partition ${b.partition}: bad bounds start=${b.start} end=${b.end}`);
    }
    byId.set(b.partition, b);
  }
  const ids = partitions.map((b) => b.partition);
  return perPartition(position, ids, opts).map(({ partition, position: p }) => {
    const b = byId.get(partition) as PartitionBounds; // perPartition only yields ids from `partitions`
    return { ...resolveOne(p, b, lookups, opts.relativeTo ?? 'bounds'), partition, source: p };
  });
}

function perPartition(
  position: Position,
  partitions: readonly number[],
  opts: ResolveOptions,
): { partition: number; position: SinglePosition }[] {
  if (position.kind !== 'map') return partitions.map((partition) => ({ partition, position }));
  const named = new Map<number, SinglePosition>();
  for (const e of position.entries) {
    if (!partitions.includes(e.partition)) {
      const valid = partitions.length === 0 ? 'none' : [...partitions].sort((a, b) => a - b).join(', ');
      throw new PositionError(
        `partition ${e.partition} in the map does not exist (partitions: ${valid})`,
        `name only existing partitions, e.g. ${partitions[0] ?? 0}=earliest`,
      );
    }
    named.set(e.partition, e.position);
  }
  const unlisted = opts.unlisted ?? 'exclude';
  const out: { partition: number; position: SinglePosition }[] = [];
  for (const partition of partitions) {
    const p = named.get(partition) ?? (unlisted === 'exclude' ? undefined : unlisted);
    if (p !== undefined) out.push({ partition, position: p });
  }
  return out;
}

function resolveOne(
  p: SinglePosition,
  b: PartitionBounds,
  lookups: TimestampLookups,
  relativeTo: 'bounds' | 'committed',
): { offset: number; warning?: string } {
  switch (p.kind) {
    case 'earliest':
      return { offset: b.start };
    case 'latest':
    case 'end':
      // For --until both mean the end recorded when positions were resolved (at start-up).
      return { offset: b.end };
    case 'offset':
      return clamp(p.offset, b, `offset ${p.offset}`);
    case 'time': {
      if (!lookups.has(b.partition)) {
        throw new Error(`partition ${b.partition}: no timestamp lookup given (see timestampsNeeded)`);
      }
      const found = lookups.get(b.partition);
      // No record at or after the time: the position is the end, where the next record will go.
      if (found === null || found === undefined || found < 0) return { offset: b.end };
      return clamp(found, b, `the offset ${found} found for that time`);
    }
    case 'shift':
      return relativeTo === 'committed' ? shiftCommitted(p, b) : shiftBounds(p, b);
  }
}

function shiftBounds(
  p: { sign: '+' | '-'; n: number },
  b: PartitionBounds,
): { offset: number; warning?: string } {
  // "The last N" with fewer than N records means all of them, as tail -n does: no warning.
  if (p.sign === '-') return { offset: Math.max(b.start, b.end - p.n) };
  return clamp(b.start + p.n, b, `+${p.n} (offset ${b.start + p.n})`);
}

function shiftCommitted(
  p: { sign: '+' | '-'; n: number },
  b: PartitionBounds,
): { offset: number; warning?: string } {
  const delta = p.sign === '+' ? p.n : -p.n;
  if (b.committed === null || b.committed === undefined || b.committed < 0) {
    // kafka-consumer-groups --shift-by refuses a partition with no committed offset. We shift from
    // the log start instead (what auto.offset.reset=earliest would read) and say so.
    const r = clamp(b.start + delta, b, `${p.sign}${p.n} from the log start (offset ${b.start + delta})`);
    const note = `partition ${b.partition} has no committed offset; shifting from the log start ${b.start}`;
    return { offset: r.offset, warning: r.warning === undefined ? note : `${note}; ${r.warning}` };
  }
  return clamp(
    b.committed + delta,
    b,
    `committed ${b.committed} ${p.sign} ${p.n} (offset ${b.committed + delta})`,
  );
}

/** Clamps into [start, end], as Kafka's checkOffsetsRange does for resets, with a warning. */
function clamp(offset: number, b: PartitionBounds, what: string): { offset: number; warning?: string } {
  if (offset < b.start) {
    return {
      offset: b.start,
      warning: `partition ${b.partition}: ${what} is before the log start ${b.start}; using ${b.start}`,
    };
  }
  if (offset > b.end) {
    return {
      offset: b.end,
      warning: `partition ${b.partition}: ${what} is past the log end ${b.end}; using ${b.end}`,
    };
  }
  return { offset };
}
