import type { KafkaSession } from '../kafka/client.js';
import { describeGroupsRaw, membersOf } from './describe.js';
import { committedOffsets, lagRows, type PartitionLag, TopicBounds, topicsOf } from './lag.js';

/*
 * `group watch`: samples committed offsets and log ends at an interval and compares each sample
 * with the one before. Consume rate is how fast the committed offsets advance, arrival rate how
 * fast the log ends advance; the group catches up when it consumes faster than records arrive.
 */

export interface LagSample {
  /** Epoch ms when the sample was taken. */
  at: number;
  state: string;
  members: number;
  partitions: PartitionLag[];
}

export type Trend = 'catching-up' | 'falling-behind' | 'steady' | 'caught-up' | 'unknown';

export interface WatchPartition extends PartitionLag {
  /** Records per second committed since the last sample; null on the first sample. */
  consumeRate: number | null;
  /** Records per second appended since the last sample. */
  arrivalRate: number | null;
  trend: Trend;
  /** Milliseconds until lag reaches 0 at these rates; null when not catching up. */
  etaMs: number | null;
}

export interface WatchView {
  at: number;
  state: string;
  members: number;
  partitions: WatchPartition[];
  total: {
    lag: number;
    consumeRate: number | null;
    arrivalRate: number | null;
    trend: Trend;
    etaMs: number | null;
  };
}

/** Lag at 0 is caught up whatever came before; otherwise the change since the last sample. */
export function trendOf(lag: number | null, prevLag: number | null | undefined): Trend {
  if (lag === null) return 'unknown';
  if (lag <= 0) return 'caught-up';
  if (prevLag === undefined || prevLag === null) return 'unknown';
  if (lag < prevLag) return 'catching-up';
  if (lag > prevLag) return 'falling-behind';
  return 'steady';
}

/** ETA = lag / (consume − arrival), only when the group gains on the log. */
export function etaMs(lag: number | null, consume: number | null, arrival: number | null): number | null {
  if (lag === null) return null;
  if (lag <= 0) return 0;
  if (consume === null || arrival === null) return null;
  const gain = consume - arrival;
  return gain > 0 ? Math.round((lag / gain) * 1000) : null;
}

function rate(now: number | null, before: number | null | undefined, seconds: number): number | null {
  if (now === null || before === null || before === undefined || seconds <= 0) return null;
  return Math.max(0, now - before) / seconds;
}

/** Sum of the known lags, or null when no partition has a committed offset. */
function sumLag(parts: readonly PartitionLag[]): number | null {
  const known = parts.filter((p) => p.lag !== null);
  return known.length ? known.reduce((s, p) => s + (p.lag ?? 0), 0) : null;
}

/** Compares a sample with the previous one (pure). */
export function compareSamples(prev: LagSample | undefined, cur: LagSample): WatchView {
  const secs = prev ? (cur.at - prev.at) / 1000 : 0;
  const before = new Map(prev?.partitions.map((p) => [`${p.topic}\u0000${p.partition}`, p]) ?? []);
  let consumeSum: number | null = prev ? 0 : null;
  let arrivalSum: number | null = prev ? 0 : null;
  const partitions = cur.partitions.map((p) => {
    const b = before.get(`${p.topic}\u0000${p.partition}`);
    const consumeRate = b ? rate(p.committed, b.committed, secs) : null;
    const arrivalRate = b ? rate(p.logEnd, b.logEnd, secs) : null;
    if (consumeSum !== null && consumeRate !== null) consumeSum += consumeRate;
    if (arrivalSum !== null && arrivalRate !== null) arrivalSum += arrivalRate;
    return {
      ...p,
      consumeRate,
      arrivalRate,
      trend: trendOf(p.lag, b?.lag),
      etaMs: etaMs(p.lag, consumeRate, arrivalRate),
    };
  });
  const total = sumLag(cur.partitions);
  const prevTotal = prev ? sumLag(prev.partitions) : undefined;
  return {
    at: cur.at,
    state: cur.state,
    members: cur.members,
    partitions,
    total: {
      lag: total ?? 0,
      consumeRate: consumeSum,
      arrivalRate: arrivalSum,
      trend: trendOf(total, prevTotal),
      etaMs: etaMs(total, consumeSum, arrivalSum),
    },
  };
}

/**
 * Takes samples of one group. The topic list follows the group (a member may be assigned a new
 * topic, or the group commit on one); the reader is reopened only when it changes.
 */
export class GroupSampler {
  private bounds?: TopicBounds;
  private topicsKey = '';

  constructor(
    private readonly session: KafkaSession,
    private readonly groupId: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async sample(): Promise<LagSample> {
    const [desc] = await describeGroupsRaw(this.session, [this.groupId]);
    const members = desc ? await membersOf(desc) : [];
    const committed = await committedOffsets(this.session, this.groupId);
    const topics = [
      ...new Set([
        ...topicsOf(committed.keys()),
        ...members.flatMap((m) => m.assignment.map((a) => a.topic)),
      ]),
    ].sort();
    const k = topics.join(',');
    if (!this.bounds || k !== this.topicsKey) {
      this.bounds = await TopicBounds.open(this.session, topics);
      this.topicsKey = k;
    }
    const tb = this.bounds;
    const rows = lagRows(tb.topics, (t) => tb.partitions(t), await tb.bounds(), committed);
    return { at: this.clock(), state: desc?.state ?? 'Dead', members: members.length, partitions: rows };
  }
}

/** Resolves after `ms`, or at once when the signal aborts (Ctrl-C must not wait out a sleep). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Views of the group every `intervalMs`, `iterations` times (forever when undefined), until the
 * signal aborts. The first view has no rates: they need two samples.
 */
export async function* watchGroup(
  session: KafkaSession,
  groupId: string,
  opts: { intervalMs: number; iterations?: number; signal?: AbortSignal },
): AsyncGenerator<WatchView> {
  const sampler = new GroupSampler(session, groupId);
  let prev: LagSample | undefined;
  for (let i = 0; opts.iterations === undefined || i < opts.iterations; i++) {
    if (i > 0) await sleep(opts.intervalMs, opts.signal);
    if (opts.signal?.aborted) return;
    const cur = await sampler.sample();
    yield compareSamples(prev, cur);
    prev = cur;
  }
}
