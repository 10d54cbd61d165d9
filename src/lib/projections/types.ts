import type { DomainName, Shape } from '../events/index.js';
import type { FetchedRecord } from '../kafka/partition-reader.js';
import type { Db } from './db.js';
import type { RowSink } from './sink.js';

export const PATTERNS = ['event-sourcing', 'state-transfer', 'notification'] as const;
export type PatternName = (typeof PATTERNS)[number];

/** Something the projector would do to the outside world (send an email, call a service). */
export interface SideEffect {
  readonly kind: string;
  /** The entity it concerns (user, order, delivery id). */
  readonly entity: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** A record the projector does not understand: counted under its type, never applied. */
export interface Skipped {
  readonly skipped: string;
}

export function isSkipped(x: unknown): x is Skipped {
  return typeof x === 'object' && x !== null && 'skipped' in x;
}

/** A state table: what `projection show`, `diff` and the content hash read. */
export interface TableInfo {
  readonly name: string;
  /** Primary key columns (diff matches rows by them). */
  readonly key: readonly string[];
  readonly description: string;
  /**
   * The rows as the content hash sees them, in a canonical order. Leaves out columns that only
   * record how the projector got there (an insertion counter), so the hash is about content.
   */
  readonly hashSql: string;
}

/**
 * The source a notification consumer calls back. Lookups are synchronous (the runtime refreshes
 * the source before a batch, see prepareBatch) and every call is counted.
 */
export interface SourceLookup {
  lookup(domain: DomainName, id: string): Readonly<Record<string, unknown>> | undefined;
}

export interface ProjectionEnv {
  readonly source?: SourceLookup;
}

/**
 * Applies decoded events to one database, inside the runtime's open transaction. An applier
 * may hold changes in memory (write-behind): the runtime calls flush() before each COMMIT,
 * settled() once that COMMIT is done, and discard() after a ROLLBACK, so held changes always
 * commit together with the events' offsets.
 */
export interface Applier<E> {
  /** Applies the event's changes; returns the side effects it calls for, if any. */
  apply(event: E): SideEffect[] | undefined;
  /**
   * Writes changes held in memory into `out`, right before COMMIT. An applier that has this and
   * settled() may have its writes committed by the writer thread while it folds the next events.
   */
  flush?(out: RowSink): void;
  /** The flushed writes are committed. */
  settled?(): void;
  /** The transaction rolled back: drop changes held in memory. */
  discard?(): void;
}

/** One projection: the topics and types it reads, a decode step, an apply step and its schema. */
export interface ProjectionDef<E = unknown> {
  readonly name: string;
  readonly pattern: PatternName;
  readonly summary: string;
  /** The domains whose topics it reads, and in which shape (topic = <prefix>.<domain>.<shape>). */
  readonly domains: readonly DomainName[];
  readonly shape: Shape;
  /** Catalogue ids of the types it understands ("checkout.order-placed"); others are skipped. */
  readonly knownTypes: ReadonlySet<string>;
  readonly tables: readonly TableInfo[];
  /** CREATE TABLE statements (IF NOT EXISTS) for its state tables. */
  readonly schema: string;
  /** Pure: a record into the event the applier takes, or Skipped. Throws nothing for bad input. */
  decode(record: FetchedRecord): E | Skipped;
  prepare(db: Db, env: ProjectionEnv): Applier<E>;
  /** Does it call back a source for details (the notification pattern)? */
  readonly needsSource?: boolean;
  /** Where an event's changed rows are, for `replay --step`: a query per table and the id. */
  changedRows?(event: E): { table: string; where: string; id: string }[];
}
