import { toJsonl } from '../records/jsonl.js';
import { ceSource, dataSchemaUri } from './envelope.js';
import { generateRecords, type GeneratedRecord } from './generator.js';
import { EventOptionsError } from './options.js';
import { ALL_TYPES, DOMAIN_DEFS, matchTypes } from './registry.js';
import { describeSchema, type FieldInfo } from './schema.js';
import { notificationSchema } from './shapes.js';
import { topicFor } from './topics.js';
import { DOMAINS, SHAPES, type DomainName, type EventTypeDef, type Extension, type Shape } from './types.js';

/** One row of `events list`. */
export interface EventTypeSummary {
  readonly id: string;
  readonly domain: DomainName;
  readonly name: string;
  readonly ceType: string;
  readonly description: string;
  /** States it may follow ([] = it creates the entity) and the state after it. */
  readonly from: readonly string[];
  readonly to: string;
  /** The entity's lifecycle ends with it. */
  readonly terminal: boolean;
  /** Only generated when switched on with `with` / `--with`. */
  readonly extension: Extension | null;
}

export interface DomainSummary {
  readonly name: DomainName;
  readonly description: string;
  readonly entity: string;
  readonly idFormat: string;
  readonly states: readonly string[];
  readonly terminal: readonly string[];
  readonly topics: Readonly<Record<Shape, string>>;
  readonly types: readonly string[];
}

export interface Catalogue {
  readonly domains: readonly DomainSummary[];
  readonly types: readonly EventTypeSummary[];
}

/** The same business fact in the three shapes, plus the record around the sourcing one. */
export interface TypeExample {
  readonly sourcing: unknown;
  readonly state: unknown;
  readonly notification: unknown;
  /** The sourcing record as `tail --output jsonl` prints it. */
  readonly record: unknown;
}

/** `events show <type>`: everything a learner needs before reading the stream. */
export interface EventTypeDetail extends EventTypeSummary {
  readonly entity: string;
  readonly lifecycle: {
    readonly states: readonly string[];
    readonly terminal: readonly string[];
    readonly transitions: readonly {
      readonly type: string;
      readonly from: readonly string[];
      readonly to: string;
    }[];
  };
  readonly shapes: readonly Shape[];
  readonly topics: Readonly<Record<Shape, string>>;
  readonly dataschemas: Readonly<Record<Shape, string>>;
  readonly source: string;
  /** The sourcing payload's fields. */
  readonly schema: readonly FieldInfo[];
  readonly stateSchema: readonly FieldInfo[];
  readonly notificationSchema: readonly FieldInfo[];
  readonly example: TypeExample;
}

function perShape<T>(f: (s: Shape) => T): Record<Shape, T> {
  return Object.fromEntries(SHAPES.map((s) => [s, f(s)])) as Record<Shape, T>;
}

function summary(def: EventTypeDef): EventTypeSummary {
  const d = DOMAIN_DEFS[def.domain];
  return {
    id: def.id,
    domain: def.domain,
    name: def.name,
    ceType: def.ceType,
    description: def.description,
    from: def.from,
    to: def.to,
    terminal: d.terminal.includes(def.to),
    extension: def.extension ?? null,
  };
}

export function listCatalogue(domains: readonly DomainName[] = DOMAINS): Catalogue {
  return {
    domains: domains.map((n) => {
      const d = DOMAIN_DEFS[n];
      return {
        name: n,
        description: d.description,
        entity: d.entity,
        idFormat: `${d.idPrefix}-<8 hex>`,
        states: d.states,
        terminal: d.terminal,
        topics: perShape((s) => topicFor(n, s)),
        types: d.types.map((t) => t.id),
      };
    }),
    types: ALL_TYPES.filter((t) => domains.includes(t.domain)).map(summary),
  };
}

/** Finds a type by id, ce_type or unambiguous short name; a typed error with a hint otherwise. */
export function findEventType(text: string): EventTypeDef {
  const found = matchTypes(text);
  if (found.length === 1) return found[0] as EventTypeDef;
  if (found.length > 1)
    throw new EventOptionsError(
      'type',
      `"${text}" is in several domains`,
      `use one of ${found.map((t) => t.id).join(', ')}`,
    );
  const near = ALL_TYPES.filter((t) => t.id.includes(text)).map((t) => t.id);
  throw new EventOptionsError(
    'type',
    `unknown event type "${text}"`,
    near.length
      ? `did you mean ${near.slice(0, 5).join(', ')}?`
      : 'see `eventbench events list` for the catalogue',
  );
}

export function showEventType(text: string): EventTypeDetail {
  const def = findEventType(text);
  const d = DOMAIN_DEFS[def.domain];
  return {
    ...summary(def),
    entity: d.entity,
    lifecycle: {
      states: d.states,
      terminal: d.terminal,
      transitions: d.types.map((t) => ({ type: t.name, from: t.from, to: t.to })),
    },
    shapes: [...SHAPES],
    topics: perShape((s) => topicFor(def.domain, s)),
    dataschemas: perShape((s) => dataSchemaUri(d, def, s)),
    source: ceSource(def.domain),
    schema: describeSchema(def.data),
    stateSchema: describeSchema(d.state),
    notificationSchema: describeSchema(notificationSchema(d)),
    example: exampleOf(def),
  };
}

/** Pinned so examples never change between runs: noon UTC, 1 June 2025. */
export const EXAMPLE_START_TIME = Date.UTC(2025, 5, 1, 12);
export const EXAMPLE_SEED = 'catalogue';

let examples: Map<string, TypeExample> | undefined;

/**
 * Examples are real generated events (so they always satisfy the schemas and the lifecycles):
 * the first occurrence of each type in a fixed run, the same run once per shape, so the three
 * shapes show the same fact (same ce_id).
 */
export function exampleOf(def: EventTypeDef): TypeExample {
  if (!examples) {
    const firsts = perShape(() => new Map<string, GeneratedRecord>());
    for (const shape of SHAPES) {
      const seen = firsts[shape];
      for (const r of generateRecords({
        domains: [...DOMAINS],
        seed: EXAMPLE_SEED,
        shape,
        startTime: EXAMPLE_START_TIME,
        with: ['terms-agreed'],
        entities: 2000,
        // A slow world: few journeys in flight, so every type (the last is a delivery or a
        // failed payment) shows up within the first thousand or so records.
        ratePerSec: 0.5,
      })) {
        if (!seen.has(r.type)) seen.set(r.type, r);
        if (seen.size === ALL_TYPES.length) break;
      }
    }
    examples = new Map();
    for (const t of ALL_TYPES) {
      const rec = firsts.sourcing.get(t.id);
      const value = (s: Shape) =>
        JSON.parse(firsts[s].get(t.id)?.value.toString('utf8') ?? 'null') as unknown;
      examples.set(t.id, {
        sourcing: value('sourcing'),
        state: value('state'),
        notification: value('notification'),
        record: rec ? (JSON.parse(toJsonl(rec)) as unknown) : null,
      });
    }
  }
  return examples.get(def.id) as TypeExample;
}
