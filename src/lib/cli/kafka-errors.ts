import { EbError, ExitCode } from './errors.js';

/**
 * kafkajs errors carry a Kafka error `type` (e.g. UNKNOWN_TOPIC_OR_PARTITION). The common ones get
 * a sentence a person can act on; anything else keeps kafkajs's message.
 */
const known: Record<string, { message: string; hint?: string }> = {
  UNKNOWN_TOPIC_OR_PARTITION: {
    message: 'topic or partition does not exist',
    hint: 'list topics with `eventbench topic list`',
  },
  TOPIC_ALREADY_EXISTS: {
    message: 'topic already exists',
    hint: 'pass --if-not-exists to accept an existing topic',
  },
  INVALID_PARTITIONS: { message: 'invalid number of partitions' },
  INVALID_REPLICATION_FACTOR: {
    message: 'invalid replication factor',
    hint: 'a single-node cluster takes -r 1',
  },
  INVALID_CONFIG: {
    message: 'invalid topic config',
    hint: 'see `eventbench topic config get TOPIC` for the known keys',
  },
  TOPIC_AUTHORIZATION_FAILED: { message: 'not authorised for this topic' },
  GROUP_AUTHORIZATION_FAILED: { message: 'not authorised for this group' },
  SASL_AUTHENTICATION_FAILED: {
    message: 'SASL authentication failed',
    hint: 'check the context user and password variable',
  },
};

export function translateKafkaError(err: unknown): EbError {
  const e = err as { name?: string; type?: string; message?: string; errors?: unknown[] };
  const type = e?.type ?? findType(e);
  if (type && known[type]) {
    const k = known[type];
    return new EbError(
      `${k.message} (${type})${e.message && !e.message.includes(k.message) ? ': ' + e.message : ''}`,
      {
        hint: k.hint,
        cause: err,
      },
    );
  }
  if (e?.name === 'KafkaJSConnectionError' || e?.name === 'KafkaJSBrokerNotFound') {
    return new EbError(`lost the connection to Kafka: ${e.message}`, {
      exitCode: ExitCode.unreachable,
      cause: err,
    });
  }
  return new EbError(e?.message ?? String(err), { cause: err });
}

function findType(e: { errors?: unknown[]; cause?: unknown } | undefined): string | undefined {
  for (const inner of e?.errors ?? []) {
    const t = (inner as { type?: string }).type;
    if (t) return t;
  }
  return undefined;
}
