/*
 * The one grammar for "where in the log", shared by tail --from/--until, group rewind --to and
 * replay --from/--until. Pure: no kafkajs, no I/O. User reference: docs/positions.md.
 */
export { PositionError } from './errors.js';
export { parsePosition } from './parse.js';
export type { ParseOptions, PartitionMapPosition, Position, SinglePosition } from './parse.js';
export { resolvePosition, timestampsNeeded } from './resolve.js';
export type {
  PartitionBounds,
  ResolveOptions,
  ResolvedOffset,
  TimestampLookup,
  TimestampLookups,
} from './resolve.js';
export { describePosition } from './describe.js';
export { formatDuration, formatTime, parseDuration, parseTime } from './time.js';
