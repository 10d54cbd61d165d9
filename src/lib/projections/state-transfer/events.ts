import { DOMAIN_DEFS, HEADERS, typeByCeType, type DomainName } from '../../events/index.js';
import type { FetchedRecord } from '../../kafka/partition-reader.js';
import { headerText } from '../../kafka/wire/record-batch-decoder.js';
import type { Skipped } from '../types.js';

/** The replica reads the state-shape topics of the three services it copies. */
export const STATE_DOMAINS: readonly DomainName[] = ['identity', 'checkout', 'delivery'];

export interface StateEventIn {
  readonly domain: DomainName;
  readonly type: string;
  readonly id: string;
  /** The value as it arrived: stored verbatim. */
  readonly doc: string;
  readonly state: Readonly<Record<string, unknown>>;
}

/**
 * A fat event needs no knowledge of its type: whatever happened, the value is the entity's whole
 * new state. So this projector uses events of types it has never heard of (terms-agreed), as long
 * as the value names the entity; only a value it cannot read is skipped.
 */
export function decodeState(r: FetchedRecord): StateEventIn | Skipped {
  const domain = r.topic.split('.').at(-2) as DomainName;
  const def = DOMAIN_DEFS[domain];
  const ceType = headerText(r, HEADERS.type) ?? '';
  const type = typeByCeType(ceType)?.id ?? (ceType || '(no ce_type)');
  if (!def || !r.value) return { skipped: `${type} (no value)` };
  const doc = r.value.toString('utf8');
  let state: Record<string, unknown>;
  try {
    state = JSON.parse(doc) as Record<string, unknown>;
  } catch {
    return { skipped: `${type} (not JSON)` };
  }
  const id = state[def.idField];
  if (typeof id !== 'string') return { skipped: `${type} (no ${def.idField})` };
  return { domain, type, id, doc, state };
}
