import type { RecordData } from '../records/jsonl.js';
import { HEADERS } from './envelope.js';
import { DOMAIN_DEFS, typeByCeType } from './registry.js';
import type { DomainName, EntityState, SourcingEvent } from './types.js';

/**
 * The reference fold for the sourcing shape: the entity's state after one more fine-grained
 * event. It is the same function the generator uses for the state shape, so folding an entity's
 * sourcing events gives exactly its last state-shape value. Types the domain does not know leave
 * the state unchanged, as a consumer written before the type existed would.
 */
export function applySourcing(
  domain: DomainName,
  state: EntityState | undefined,
  event: SourcingEvent,
): EntityState {
  return DOMAIN_DEFS[domain].apply(state, event);
}

/** Folds one entity's events, in order. */
export function rebuild(domain: DomainName, events: Iterable<SourcingEvent>): EntityState | undefined {
  let state: EntityState | undefined;
  for (const e of events) state = applySourcing(domain, state, e);
  return state;
}

export interface DecodedSourcingEvent {
  readonly domain: DomainName;
  readonly entityId: string;
  readonly ceId: string;
  readonly event: SourcingEvent;
}

function text(r: RecordData, name: string): string | undefined {
  const v = r.headers[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one ? (one as Buffer).toString('utf8') : undefined;
}

/**
 * Reads a sourcing-shape record back into the fold's input, from the headers (ce_type, ce_time,
 * ce_subject, ce_id) and the JSON value. Undefined for a type outside the catalogue.
 */
export function decodeSourcingRecord(r: RecordData): DecodedSourcingEvent | undefined {
  const def = typeByCeType(text(r, HEADERS.type) ?? '');
  if (!def || !r.value) return undefined;
  return {
    domain: def.domain,
    entityId: text(r, HEADERS.subject) ?? r.key?.toString('utf8') ?? '',
    ceId: text(r, HEADERS.id) ?? '',
    event: {
      type: def.name,
      data: JSON.parse(r.value.toString('utf8')) as Record<string, unknown>,
      time: text(r, HEADERS.time) ?? '',
    },
  };
}

/**
 * Rebuilds every entity's state from a stream of sourcing records, in the order given. An event
 * whose ce_id was already applied is skipped (redelivered duplicates must not add an item twice);
 * `skipTypes` lets a lesson play a consumer that does not know some types yet.
 */
export function rebuildAll(
  records: Iterable<RecordData>,
  opts: { skipTypes?: readonly string[] } = {},
): Map<string, EntityState> {
  const states = new Map<string, EntityState>();
  const applied = new Set<string>();
  const skip = new Set(opts.skipTypes ?? []);
  for (const r of records) {
    const d = decodeSourcingRecord(r);
    if (!d || applied.has(d.ceId) || skip.has(d.event.type) || skip.has(`${d.domain}.${d.event.type}`))
      continue;
    applied.add(d.ceId);
    states.set(d.entityId, applySourcing(d.domain, states.get(d.entityId), d.event));
  }
  return states;
}
