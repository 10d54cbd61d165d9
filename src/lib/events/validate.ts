import type { RecordData } from '../records/jsonl.js';
import { CONTENT_TYPE, HEADERS, SPEC_VERSION, ceSource, dataSchemaUri } from './envelope.js';
import { domainDef, typeByCeType, typeById } from './registry.js';
import { EventValidationError, validate } from './schema.js';
import { schemaFor } from './shapes.js';
import { SHAPES, type EventTypeDef, type Shape } from './types.js';

/**
 * Checks a value against its type's schema in one shape. Throws EventValidationError naming the
 * field: `checkout.item-added (sourcing): field "quantity" must be >= 1, got 0`.
 */
export function validateValue(type: string | EventTypeDef, shape: Shape, value: unknown): void {
  const def = typeof type === 'string' ? typeById(type) : type;
  if (!def) throw new EventValidationError(String(type), '', 'is not a known event type');
  validate(schemaFor(domainDef(def.domain), def, shape), value, `${def.id} (${shape})`);
}

export interface ValidatedRecord {
  readonly def: EventTypeDef;
  readonly shape: Shape;
  readonly value: unknown;
}

function header(r: RecordData, name: string): string | undefined {
  const v = r.headers[name];
  if (v === undefined || v === null) return undefined;
  const one = Array.isArray(v) ? v[0] : v;
  return one === null || one === undefined ? undefined : (one as Buffer).toString('utf8');
}

/**
 * Checks a whole record against the contract: the CloudEvents headers (binary mode), the key
 * (the entity id, equal to ce_subject), the shape named by ce_dataschema and the value against
 * its schema.
 */
export function validateRecord(r: RecordData): ValidatedRecord {
  const ceType = header(r, HEADERS.type);
  const subject = ceType ?? 'record';
  const fail = (field: string, problem: string): never => {
    throw new EventValidationError(subject, field, problem);
  };
  if (ceType === undefined) return fail(`header ${HEADERS.type}`, 'is required but missing');
  const def = typeByCeType(ceType);
  if (!def) return fail(`header ${HEADERS.type}`, `is not a catalogue type, got "${ceType}"`);
  const domain = domainDef(def.domain);
  if (header(r, HEADERS.specversion) !== SPEC_VERSION)
    fail(`header ${HEADERS.specversion}`, `must be "${SPEC_VERSION}"`);
  if (header(r, HEADERS.source) !== ceSource(def.domain))
    fail(`header ${HEADERS.source}`, `must be "${ceSource(def.domain)}"`);
  if (header(r, HEADERS.contentType) !== CONTENT_TYPE)
    fail(`header ${HEADERS.contentType}`, `must be "${CONTENT_TYPE}"`);
  const key = r.key?.toString('utf8');
  if (!key || !new RegExp(`^${domain.idPrefix}-[0-9a-f]{8}$`).test(key))
    fail('key', `must be a ${domain.entity} id`);
  if (header(r, HEADERS.subject) !== key) fail(`header ${HEADERS.subject}`, 'must equal the key');
  const id = header(r, HEADERS.id);
  if (!id || !id.startsWith(`${key}:${def.name}:`))
    fail(`header ${HEADERS.id}`, `must be "${key}:${def.name}:<n>"`);
  const time = header(r, HEADERS.time);
  if (!time || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(time))
    fail(`header ${HEADERS.time}`, 'must be RFC 3339 UTC');
  if (r.timestamp !== undefined && Date.parse(time as string) !== r.timestamp)
    fail('timestamp', `must equal ${HEADERS.time}`);
  for (const h of [HEADERS.correlationId, HEADERS.causationId])
    if (!header(r, h)) fail(`header ${h}`, 'is required but missing');
  const schemaUri = header(r, HEADERS.dataschema);
  const shape = SHAPES.find((s) => dataSchemaUri(domain, def, s) === schemaUri);
  if (!shape)
    return fail(`header ${HEADERS.dataschema}`, `does not name a schema of ${def.id}, got "${schemaUri}"`);
  let value: unknown;
  try {
    value = JSON.parse(r.value?.toString('utf8') ?? '');
  } catch {
    return fail('value', 'must be JSON');
  }
  validateValue(def, shape, value);
  return { def, shape, value };
}
