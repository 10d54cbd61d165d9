import { randomBytes } from 'node:crypto';
import { isLegalTopicName } from './topics.js';
import { DOMAINS, EXTENSIONS, SHAPES, type DomainName, type Extension, type Shape } from './types.js';

/** What a caller (publish, a test, a projection lesson) asks the generator for. */
export interface GenerateOptions {
  /** Domain names, or ["all"]. */
  readonly domains: readonly string[];
  /** Same seed, same options: byte-identical records. Numbers are read as their decimal text. */
  readonly seed: string | number;
  /** notification | state | sourcing (default sourcing). */
  readonly shape?: string;
  /** Stop after this many records (injected duplicates included). Cuts the timeline. */
  readonly count?: number;
  /** Stop after this many entities of the selected domains have begun; each runs to its end. */
  readonly entities?: number;
  /** Stop at startTime + durationMs of simulated time. */
  readonly durationMs?: number;
  /** The simulated clock's origin, epoch ms. */
  readonly startTime: number;
  /**
   * The simulated clock: events per simulated second of the whole world (all five domains), on
   * average in steady state (default 10). Memory grows with it: about 1,200 journeys (4 MB of
   * heap) in flight per 10 events/s.
   */
  readonly ratePerSec?: number;
  /** Extension event types to switch on, e.g. ["terms-agreed"]. */
  readonly with?: readonly string[];
  /** Fault probabilities per event, 0..1. */
  readonly faults?: { readonly duplicates?: number; readonly outOfOrder?: number; readonly late?: number };
  /** Send everything to this one topic instead of the convention's topic per domain. */
  readonly topic?: string;
}

export interface ResolvedOptions {
  readonly domains: readonly DomainName[];
  readonly seed: string;
  readonly shape: Shape;
  readonly count: number | undefined;
  readonly entities: number | undefined;
  readonly durationMs: number | undefined;
  readonly startTime: number;
  readonly ratePerSec: number;
  readonly extensions: ReadonlySet<Extension>;
  readonly faults: { readonly duplicates: number; readonly outOfOrder: number; readonly late: number };
  readonly topic: string | undefined;
}

export const DEFAULT_SHAPE: Shape = 'sourcing';
export const DEFAULT_RATE_PER_SEC = 10;
export const MAX_RATE_PER_SEC = 1000;

/** A bad option: which one, what is wrong, and (in hint) what is accepted. */
export class EventOptionsError extends Error {
  constructor(
    readonly option: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'EventOptionsError';
  }
}

function hasControlChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** The seed's canonical text; 42 and "42" are the same seed. */
export function normalizeSeed(seed: string | number): string {
  const hint = 'use a non-empty text of up to 200 printable characters, or a whole number';
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed))
      throw new EventOptionsError('seed', `seed ${seed} is not a whole number`, hint);
    return String(seed);
  }
  if (typeof seed !== 'string' || seed.trim() === '')
    throw new EventOptionsError('seed', 'seed must not be empty', hint);
  if (seed.length > 200 || hasControlChar(seed))
    throw new EventOptionsError(
      'seed',
      `seed "${seed.slice(0, 20)}..." is too long or has control characters`,
      hint,
    );
  return seed;
}

/**
 * A fresh seed when none was given: the one place randomness enters. Print it, so the run can be
 * repeated with --seed.
 */
export function chooseSeed(): string {
  return randomBytes(4).toString('hex');
}

export function parseDomains(names: readonly string[]): DomainName[] {
  const hint = `accepted: ${DOMAINS.join(', ')}, or all`;
  if (names.length === 0) throw new EventOptionsError('domains', 'name at least one domain', hint);
  if (names.includes('all')) return [...DOMAINS];
  for (const n of names) {
    if (!DOMAINS.includes(n as DomainName))
      throw new EventOptionsError('domains', `unknown domain "${n}"`, hint);
  }
  // Catalogue order, duplicates dropped: the same selection always means the same run.
  return DOMAINS.filter((d) => names.includes(d));
}

function positiveInt(name: string, v: number | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < 1)
    throw new EventOptionsError(
      name,
      `${name} must be a positive whole number, got ${v}`,
      `give the number of ${what}, e.g. 1000`,
    );
  return v;
}

function probability(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)
    throw new EventOptionsError(
      name,
      `${name} must be a probability between 0 and 1, got ${v}`,
      'a probability between 0 and 1, e.g. 0.01 for one event in a hundred',
    );
  return v;
}

/** Checks every option and fills defaults; throws EventOptionsError naming the first bad one. */
export function resolveOptions(o: GenerateOptions): ResolvedOptions {
  const domains = parseDomains(o.domains);
  const seed = normalizeSeed(o.seed);
  const shape = (o.shape ?? DEFAULT_SHAPE) as Shape;
  if (!SHAPES.includes(shape))
    throw new EventOptionsError('shape', `unknown shape "${o.shape}"`, `accepted: ${SHAPES.join(', ')}`);
  if (!Number.isSafeInteger(o.startTime) || o.startTime < 0)
    throw new EventOptionsError(
      'startTime',
      `start time must be epoch milliseconds >= 0, got ${o.startTime}`,
      'epoch milliseconds, e.g. 1735689600000 for 2025-01-01T00:00:00Z',
    );
  const rate = o.ratePerSec ?? DEFAULT_RATE_PER_SEC;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE_PER_SEC)
    throw new EventOptionsError(
      'rate',
      `rate must be a number of events per second above 0 and at most ${MAX_RATE_PER_SEC}, got ${rate}`,
      'e.g. 10, 0.5 or 5000',
    );
  const extensions = new Set<Extension>();
  for (const w of o.with ?? []) {
    if (!EXTENSIONS.includes(w as Extension))
      throw new EventOptionsError('with', `unknown extension "${w}"`, `accepted: ${EXTENSIONS.join(', ')}`);
    extensions.add(w as Extension);
  }
  if (extensions.has('terms-agreed') && !domains.includes('checkout'))
    throw new EventOptionsError(
      'with',
      'terms-agreed is a checkout step, but checkout is not selected',
      'add the checkout domain',
    );
  if (o.topic !== undefined && !isLegalTopicName(o.topic))
    throw new EventOptionsError(
      'topic',
      `"${o.topic}" is not a legal topic name`,
      'use up to 249 of a-z A-Z 0-9 . _ -',
    );
  const durationMs = o.durationMs;
  if (durationMs !== undefined && (!Number.isSafeInteger(durationMs) || durationMs <= 0))
    throw new EventOptionsError(
      'duration',
      `duration must be a positive number of milliseconds, got ${durationMs}`,
      'e.g. 10m or 1h',
    );
  return {
    domains,
    seed,
    shape,
    count: positiveInt('count', o.count, 'events'),
    entities: positiveInt('entities', o.entities, 'entities'),
    durationMs,
    startTime: o.startTime,
    ratePerSec: rate,
    extensions,
    faults: {
      duplicates: probability('duplicates', o.faults?.duplicates),
      outOfOrder: probability('out-of-order', o.faults?.outOfOrder),
      late: probability('late', o.faults?.late),
    },
    topic: o.topic,
  };
}
