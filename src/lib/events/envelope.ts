import type { DomainDef, DomainName, EventTypeDef, Fault, Shape } from './types.js';

/**
 * The envelope, following the CloudEvents Kafka protocol binding in binary mode: the record
 * value is the event data alone and every CloudEvents attribute is a header named `ce_<attr>`
 * holding its UTF-8 string; the data's media type is the `content-type` header. The key is the
 * entity id (the binding's "partitionkey" extension is therefore not repeated in a header).
 */
export const HEADERS = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  subject: 'ce_subject',
  time: 'ce_time',
  dataschema: 'ce_dataschema',
  contentType: 'content-type',
  /** The id of the journey's first event (user-registered): everything one visit caused. */
  correlationId: 'correlation_id',
  /** The id of the event that directly caused this one (itself for the journey's first event). */
  causationId: 'causation_id',
  /** Set only on injected faults: duplicate | out-of-order | late. */
  fault: 'eb_fault',
} as const;

export const SPEC_VERSION = '1.0';
export const CONTENT_TYPE = 'application/json';
export const FAULTS: readonly Fault[] = ['duplicate', 'out-of-order', 'late'];

/** ce_source: the producing domain, as a URI reference. */
export function ceSource(domain: DomainName): string {
  return `/eventbench/${domain}`;
}

/**
 * ce_dataschema names the schema the value follows, and so its shape:
 * - sourcing:     eventbench://schemas/<domain>/<type>/v1          (per event type)
 * - state:        eventbench://schemas/<domain>/<entity>/v1        (the entity's whole state)
 * - notification: eventbench://schemas/<domain>/notification/v1
 */
export function dataSchemaUri(domain: DomainDef, def: EventTypeDef, shape: Shape): string {
  const name = shape === 'sourcing' ? def.name : shape === 'state' ? domain.entity : 'notification';
  return `eventbench://schemas/${domain.name}/${name}/v1`;
}

/** "Where to look" in a notification: eventbench://<domain>/<collection>/<id>. */
export function hrefFor(domain: DomainDef, id: string): string {
  return `eventbench://${domain.name}/${domain.collection}/${id}`;
}

/** Reads an href back into domain and entity id; undefined when it is not one of ours. */
export function parseHref(href: string): { domain: DomainName; collection: string; id: string } | undefined {
  const m = /^eventbench:\/\/([a-z]+)\/([a-z]+)\/([a-z]+-[0-9a-f]{8})$/.exec(href);
  if (!m) return undefined;
  return { domain: m[1] as DomainName, collection: m[2] as string, id: m[3] as string };
}
