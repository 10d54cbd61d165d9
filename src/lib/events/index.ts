/**
 * The event catalogue and generators (pure: no Kafka I/O). See docs/events.md for the contract.
 *
 * publish:   resolveOptions → topicsFor → generateResolved → SummaryCounter
 * catalogue: listCatalogue, showEventType
 * consumers: validateRecord, decodeSourcingRecord, rebuild / rebuildAll, parseHref
 */
export {
  endingAt,
  generateRecords,
  generateResolved,
  journeyGapMs,
  EVENTS_PER_JOURNEY,
  type GeneratedRecord,
} from './generator.js';
export {
  resolveOptions,
  normalizeSeed,
  chooseSeed,
  parseDomains,
  EventOptionsError,
  DEFAULT_SHAPE,
  DEFAULT_RATE_PER_SEC,
  MAX_RATE_PER_SEC,
  type GenerateOptions,
  type ResolvedOptions,
} from './options.js';
export {
  topicFor,
  topicsFor,
  parseTopic,
  isLegalTopicName,
  DEFAULT_PARTITIONS,
  TOPIC_PREFIX,
  type TopicSpec,
} from './topics.js';
export {
  SummaryCounter,
  summarize,
  recordBytes,
  type GenerationSummary,
  type TypeCount,
  type TopicCount,
} from './summary.js';
export { partitionForKey, murmur2 } from './partition.js';
export {
  listCatalogue,
  showEventType,
  findEventType,
  exampleOf,
  type Catalogue,
  type DomainSummary,
  type EventTypeSummary,
  type EventTypeDetail,
  type TypeExample,
} from './catalogue.js';
export {
  HEADERS,
  SPEC_VERSION,
  CONTENT_TYPE,
  FAULTS,
  ceSource,
  dataSchemaUri,
  hrefFor,
  parseHref,
} from './envelope.js';
export { validateValue, validateRecord, type ValidatedRecord } from './validate.js';
export { EventValidationError, type FieldInfo } from './schema.js';
export {
  applySourcing,
  rebuild,
  rebuildAll,
  decodeSourcingRecord,
  type DecodedSourcingEvent,
} from './rebuild.js';
export { DOMAIN_DEFS, ALL_TYPES, typeById, typeByCeType } from './registry.js';
export {
  DOMAINS,
  SHAPES,
  EXTENSIONS,
  type DomainName,
  type Shape,
  type Extension,
  type Fault,
  type EventTypeDef,
  type DomainDef,
  type EntityState,
  type SourcingEvent,
} from './types.js';
