import type { PartitionMapPosition } from '../positions/index.js';

/*
 * The pure half of `group rewind`: what --topic means, the plan rows and totals a preview shows,
 * and the plan file (CSV topic,partition,offset, the format kafka-consumer-groups --export writes
 * and --from-file reads, so plans move between the two tools). No I/O here.
 */

/** A bad scope or plan file. The command turns it into exit 2 with the hint. */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

export interface TopicScope {
  topic: string;
  /** Only these partitions; undefined = all of the topic's partitions. */
  partitions?: number[];
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;

/**
 * `--topic orders` or `--topic orders:0,2` (repeatable). Kafka topic names are [a-zA-Z0-9._-],
 * so ":" and "," cannot be part of one. The same topic twice merges its partition lists; a bare
 * topic next to a partitioned one means all partitions.
 */
export function parseTopicScopes(values: readonly string[]): TopicScope[] {
  const byTopic = new Map<string, Set<number> | 'all'>();
  for (const raw of values) {
    const v = raw.trim();
    const colon = v.indexOf(':');
    const topic = colon < 0 ? v : v.slice(0, colon);
    if (!TOPIC_NAME.test(topic)) {
      throw new PlanError(
        `--topic "${raw}": "${topic}" is not a topic name`,
        'write --topic orders or --topic orders:0,2',
      );
    }
    if (colon < 0) {
      byTopic.set(topic, 'all');
      continue;
    }
    const list = v.slice(colon + 1);
    const parts = list.split(',').map((p) => p.trim());
    if (list.trim() === '' || parts.some((p) => !/^\d+$/.test(p) || !Number.isSafeInteger(Number(p)))) {
      throw new PlanError(
        `--topic "${raw}": "${list}" is not a list of partition numbers`,
        'write --topic orders:0,2',
      );
    }
    const prev = byTopic.get(topic);
    if (prev === 'all') continue;
    const set = prev ?? new Set<number>();
    for (const p of parts) set.add(Number(p));
    byTopic.set(topic, set);
  }
  return [...byTopic].map(([topic, s]) =>
    s === 'all' ? { topic } : { topic, partitions: [...s].sort((a, b) => a - b) },
  );
}

/** Checks the named partitions exist; returns the partitions in scope. */
export function scopePartitions(scope: TopicScope, existing: readonly number[]): number[] {
  if (!scope.partitions) return [...existing];
  const missing = scope.partitions.filter((p) => !existing.includes(p));
  if (missing.length) {
    throw new PlanError(
      `--topic ${scope.topic}: partition ${missing.join(',')} does not exist`,
      `${scope.topic} has partitions ${existing.join(',') || 'none'}`,
    );
  }
  return scope.partitions;
}

export interface PlanInput {
  topic: string;
  partition: number;
  committed: number | null;
  logStart: number;
  logEnd: number;
  target: number;
}

export interface PlanRow extends PlanInput {
  /** Records read again: committed − target when the target is before the committed offset. */
  reprocess: number | null;
  /** Records passed over: target − committed when the target is after it. */
  skip: number | null;
  /** What the group has left to read after the rewind: log end − target. */
  lagAfter: number;
}

export interface PlanTotals {
  partitions: number;
  reprocess: number;
  skip: number;
  lagAfter: number;
  /** Partitions with no committed offset before the rewind (reprocess/skip unknown). */
  uncommitted: number;
}

export function planRows(inputs: readonly PlanInput[]): PlanRow[] {
  return inputs.map((i) => {
    const d = i.committed === null ? null : i.committed - i.target;
    return {
      ...i,
      reprocess: d === null ? null : Math.max(0, d),
      skip: d === null ? null : Math.max(0, -d),
      lagAfter: i.logEnd - i.target,
    };
  });
}

export function planTotals(rows: readonly PlanRow[]): PlanTotals {
  const t: PlanTotals = { partitions: rows.length, reprocess: 0, skip: 0, lagAfter: 0, uncommitted: 0 };
  for (const r of rows) {
    t.reprocess += r.reprocess ?? 0;
    t.skip += r.skip ?? 0;
    t.lagAfter += r.lagAfter;
    if (r.committed === null) t.uncommitted++;
  }
  return t;
}

/** The plan file: one `topic,partition,offset` line per partition, no header (Kafka's format). */
export function planToCsv(rows: readonly { topic: string; partition: number; target: number }[]): string {
  return rows.map((r) => `${r.topic},${r.partition},${r.target}\n`).join('');
}

export interface PlanEntry {
  topic: string;
  partition: number;
  offset: number;
  /** 1-based line in the file, for messages. */
  line: number;
}

const HEADER = /^topic\s*,\s*partition\s*,\s*offset$/i;
const FILE_HINT = 'each line is topic,partition,offset (e.g. orders,0,1200); a header line is optional';

/**
 * Reads a plan file. A `topic,partition,offset` header, blank lines and `#` comments are
 * allowed; anything else that is not three fields with integer partition and offset is refused,
 * naming the line. The same partition twice is refused too (which one would win is a guess).
 */
export function parsePlanCsv(text: string, file = 'plan file'): PlanEntry[] {
  const out: PlanEntry[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let sawContent = false;
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    if (!sawContent && HEADER.test(t)) {
      sawContent = true;
      return;
    }
    sawContent = true;
    const fields = t.split(',').map((f) => f.trim());
    const at = `${file} line ${line}`;
    if (fields.length !== 3) {
      throw new PlanError(`${at}: "${t}" has ${fields.length} fields, want 3`, FILE_HINT);
    }
    const [topic = '', p = '', o = ''] = fields;
    if (!TOPIC_NAME.test(topic)) throw new PlanError(`${at}: "${topic}" is not a topic name`, FILE_HINT);
    if (!/^\d+$/.test(p) || !Number.isSafeInteger(Number(p))) {
      throw new PlanError(`${at}: partition "${p}" is not a non-negative integer`, FILE_HINT);
    }
    if (!/^\d+$/.test(o) || !Number.isSafeInteger(Number(o))) {
      throw new PlanError(`${at}: offset "${o}" is not a non-negative integer`, FILE_HINT);
    }
    const k = `${topic}:${p}`;
    const first = seen.get(k);
    if (first !== undefined) {
      throw new PlanError(`${at}: ${topic} partition ${p} already appears on line ${first}`, FILE_HINT);
    }
    seen.set(k, line);
    out.push({ topic, partition: Number(p), offset: Number(o), line });
  });
  if (out.length === 0) throw new PlanError(`${file} has no entries`, FILE_HINT);
  return out;
}

/**
 * Checks every entry names an existing topic and partition (`partitionsOf` returns undefined for
 * a topic that does not exist), then groups the entries into one offset map per topic, so the
 * file goes through the same resolution (and clamping into the log) as `--to`.
 */
export function planFilePositions(
  entries: readonly PlanEntry[],
  partitionsOf: (topic: string) => readonly number[] | undefined,
  file = 'plan file',
): Map<string, PartitionMapPosition> {
  const out = new Map<string, PartitionMapPosition>();
  for (const e of entries) {
    const parts = partitionsOf(e.topic);
    if (!parts) {
      throw new PlanError(
        `${file} line ${e.line}: topic ${e.topic} does not exist`,
        'list topics with `eventbench topic list`',
      );
    }
    if (!parts.includes(e.partition)) {
      throw new PlanError(
        `${file} line ${e.line}: ${e.topic} has no partition ${e.partition}`,
        `${e.topic} has partitions ${parts.join(',') || 'none'}`,
      );
    }
    const pos = out.get(e.topic) ?? { kind: 'map' as const, entries: [] };
    out.set(e.topic, {
      kind: 'map',
      entries: [...pos.entries, { partition: e.partition, position: { kind: 'offset', offset: e.offset } }],
    });
  }
  return out;
}
