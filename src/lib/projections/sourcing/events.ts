import { HEADERS, typeByCeType, type DomainName } from '../../events/index.js';
import type { FetchedRecord } from '../../kafka/partition-reader.js';
import { headerText } from '../../kafka/wire/record-batch-decoder.js';
import type { Skipped } from '../types.js';

/** The sourcing projection reads the fine-grained events of two aggregates. */
export const SOURCING_DOMAINS: readonly DomainName[] = ['checkout', 'delivery'];

export interface SourcingEventIn {
  readonly domain: DomainName;
  /** Short type name, e.g. "item-added". */
  readonly type: string;
  readonly entityId: string;
  /** CloudEvents id: redelivered duplicates carry the same one. */
  readonly ceId: string;
  readonly time: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Record → event. A type outside `known` (a type added after this projector was written, such
 * as terms-agreed for the legacy projector, or one outside the catalogue) is Skipped, by name.
 */
export function decodeSourcing(r: FetchedRecord, known: ReadonlySet<string>): SourcingEventIn | Skipped {
  const ceType = headerText(r, HEADERS.type) ?? '';
  const def = typeByCeType(ceType);
  if (!def || !known.has(def.id)) return { skipped: def?.id ?? (ceType || '(no ce_type)') };
  if (!r.value) return { skipped: `${def.id} (no value)` };
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(r.value.toString('utf8')) as Record<string, unknown>;
  } catch {
    return { skipped: `${def.id} (not JSON)` };
  }
  return {
    domain: def.domain,
    type: def.name,
    entityId: headerText(r, HEADERS.subject) ?? r.key?.toString('utf8') ?? '',
    ceId: headerText(r, HEADERS.id) ?? `${r.topic}/${r.partition}/${r.offset}`,
    time: headerText(r, HEADERS.time) ?? '',
    data,
  };
}
