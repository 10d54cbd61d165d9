/**
 * Topic configs: the keys Kafka 4.x knows for a topic, their defaults and validation. Values
 * travel as strings, as in CreateTopics / AlterConfigs / DescribeConfigs. Unknown keys and bad
 * values are INVALID_CONFIG, as Kafka answers. Only some keys change what the log does
 * (retention.*, segment.*, max.message.bytes, message.timestamp.*, index.interval.bytes,
 * min.insync.replicas); the rest are stored and described so clients that set them work.
 */
import { ErrorCode } from '../protocol/error-codes.js';
import { KafkaError } from './types.js';

const LONG_MAX = '9223372036854775807';

type Check =
  | { kind: 'long'; min: bigint; max?: bigint }
  | { kind: 'int'; min: number; max?: number }
  | { kind: 'double'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; values?: readonly string[] }
  | { kind: 'string' };

interface ConfigDef {
  readonly def: string;
  readonly check: Check;
}

const long = (def: string, min: bigint): ConfigDef => ({ def, check: { kind: 'long', min } });
const int = (def: string, min: number, max?: number): ConfigDef => ({
  def,
  check: { kind: 'int', min, max },
});

/** Known topic configs and their Kafka 4.x defaults (segment.bytes is replaced by the store's option). */
const DEFS: Readonly<Record<string, ConfigDef>> = {
  'cleanup.policy': { def: 'delete', check: { kind: 'list', values: ['delete', 'compact'] } },
  'compression.type': {
    def: 'producer',
    check: { kind: 'enum', values: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] },
  },
  'compression.gzip.level': int('-1', -1, 9),
  'compression.lz4.level': int('9', 1, 17),
  'compression.zstd.level': int('3', -131072, 22),
  'delete.retention.ms': long('86400000', 0n),
  'file.delete.delay.ms': long('60000', 0n),
  'flush.messages': long(LONG_MAX, 1n),
  'flush.ms': long(LONG_MAX, 0n),
  'follower.replication.throttled.replicas': { def: '', check: { kind: 'list' } },
  'index.interval.bytes': int('4096', 0),
  'leader.replication.throttled.replicas': { def: '', check: { kind: 'list' } },
  'local.retention.bytes': long('-2', -2n),
  'local.retention.ms': long('-2', -2n),
  'max.compaction.lag.ms': long(LONG_MAX, 1n),
  'max.message.bytes': int('1048588', 0),
  // KIP-1030: 4.0 rejects timestamps more than an hour ahead of the broker clock by default.
  'message.timestamp.after.max.ms': long('3600000', 0n),
  'message.timestamp.before.max.ms': long(LONG_MAX, 0n),
  'message.timestamp.type': {
    def: 'CreateTime',
    check: { kind: 'enum', values: ['CreateTime', 'LogAppendTime'] },
  },
  'message.downconversion.enable': { def: 'true', check: { kind: 'boolean' } },
  'min.cleanable.dirty.ratio': { def: '0.5', check: { kind: 'double', min: 0, max: 1 } },
  'min.compaction.lag.ms': long('0', 0n),
  'min.insync.replicas': int('1', 1),
  preallocate: { def: 'false', check: { kind: 'boolean' } },
  'remote.storage.enable': { def: 'false', check: { kind: 'boolean' } },
  'retention.bytes': long('-1', -1n),
  'retention.ms': long('604800000', -1n),
  // KIP-1030: the minimum segment.bytes became 1 MiB in Kafka 4.0.
  'segment.bytes': int('1073741824', 1048576),
  'segment.index.bytes': int('10485760', 4),
  'segment.jitter.ms': long('0', 0n),
  'segment.ms': long('604800000', 1n),
  'unclean.leader.election.enable': { def: 'false', check: { kind: 'boolean' } },
};

export const knownTopicConfigs: readonly string[] = Object.keys(DEFS).sort();

/** Defaults of every known key; `segmentBytes` is the store's default segment size. */
export function defaultTopicConfigs(segmentBytes: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of knownTopicConfigs) out[k] = DEFS[k]!.def;
  out['segment.bytes'] = String(segmentBytes);
  return out;
}

function invalid(key: string, value: string, why: string): KafkaError {
  return new KafkaError(ErrorCode.INVALID_CONFIG, `Invalid value ${value} for configuration ${key}: ${why}`);
}

function checkValue(key: string, value: string, c: Check): void {
  switch (c.kind) {
    case 'long': {
      if (!/^-?\d+$/.test(value.trim())) throw invalid(key, value, 'Not a number of type LONG');
      const n = BigInt(value.trim());
      if (n > BigInt(LONG_MAX) || n < -BigInt(LONG_MAX) - 1n)
        throw invalid(key, value, 'Not a number of type LONG');
      if (n < c.min) throw invalid(key, value, `Value must be at least ${c.min}`);
      return;
    }
    case 'int': {
      if (!/^-?\d+$/.test(value.trim())) throw invalid(key, value, 'Not a number of type INT');
      const n = Number(value.trim());
      if (n > 2147483647 || n < -2147483648) throw invalid(key, value, 'Not a number of type INT');
      if (n < c.min) throw invalid(key, value, `Value must be at least ${c.min}`);
      if (c.max !== undefined && n > c.max) throw invalid(key, value, `Value must be no more than ${c.max}`);
      return;
    }
    case 'double': {
      const n = Number(value.trim());
      if (value.trim() === '' || Number.isNaN(n)) throw invalid(key, value, 'Not a number of type DOUBLE');
      if (n < c.min || n > c.max) throw invalid(key, value, `Value must be between ${c.min} and ${c.max}`);
      return;
    }
    case 'boolean':
      if (!/^(true|false)$/i.test(value.trim()))
        throw invalid(key, value, 'Expected value to be either true or false');
      return;
    case 'enum':
      if (!c.values.includes(value))
        throw invalid(key, value, `String must be one of: ${c.values.join(', ')}`);
      return;
    case 'list': {
      if (!c.values) return;
      for (const item of value.split(',').map((s) => s.trim())) {
        if (item !== '' && !c.values.includes(item)) {
          throw invalid(key, value, `String must be one of: ${c.values.join(', ')}`);
        }
      }
      return;
    }
    case 'string':
      return;
  }
}

/** Throws KafkaError(INVALID_CONFIG) for an unknown key or a value Kafka would refuse. */
export function validateTopicConfig(key: string, value: string): void {
  const d = DEFS[key];
  if (!d) throw new KafkaError(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${key}`);
  checkValue(key, value, d.check);
}

/**
 * The configs the log acts on, parsed once per change (appends read these, not strings).
 * Long values beyond 2^53 (the "never" defaults) become Infinity.
 */
export interface EffectiveConfig {
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly segmentBytes: number;
  readonly segmentMs: number;
  readonly maxMessageBytes: number;
  readonly logAppendTime: boolean;
  readonly timestampBeforeMaxMs: number;
  readonly timestampAfterMaxMs: number;
  readonly indexIntervalBytes: number;
  readonly minInsyncReplicas: number;
}

function num(v: string): number {
  const n = Number(v);
  return n >= Number.MAX_SAFE_INTEGER ? Infinity : n;
}

export function effectiveConfig(
  set: Readonly<Record<string, string>>,
  segmentBytes: number,
): EffectiveConfig {
  const get = (k: string): string => set[k] ?? (k === 'segment.bytes' ? String(segmentBytes) : DEFS[k]!.def);
  return {
    retentionMs: num(get('retention.ms')),
    retentionBytes: num(get('retention.bytes')),
    segmentBytes: num(get('segment.bytes')),
    segmentMs: num(get('segment.ms')),
    maxMessageBytes: num(get('max.message.bytes')),
    logAppendTime: get('message.timestamp.type') === 'LogAppendTime',
    timestampBeforeMaxMs: num(get('message.timestamp.before.max.ms')),
    timestampAfterMaxMs: num(get('message.timestamp.after.max.ms')),
    indexIntervalBytes: num(get('index.interval.bytes')),
    minInsyncReplicas: num(get('min.insync.replicas')),
  };
}
