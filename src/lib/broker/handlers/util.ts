import { defaultBrokerSettings, type BrokerContext, type BrokerSettings } from '../context.js';
import { KafkaError } from '../log/types.js';
import { ErrorCode } from '../protocol/error-codes.js';

/**
 * The error code a failed log call stands for. KafkaError carries its own; anything else (a disk
 * fault, a bug) is answered as UNKNOWN_SERVER_ERROR, as Kafka does for unexpected exceptions, so
 * the client gets a code instead of a dropped connection.
 */
export function errorCodeOf(err: unknown): number {
  return err instanceof KafkaError ? err.code : ErrorCode.UNKNOWN_SERVER_ERROR;
}

/** The message Kafka would put next to the code (null for NONE). */
export function errorMessageOf(err: unknown): string | null {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Most partitions one topic may have here. Kafka sets no hard cap, but every partition is a
 * directory with open files on this one machine, and a request for two billion of them must not
 * stall the broker; Kafka's own guidance is a few thousand partitions per broker.
 */
export const MAX_PARTITIONS_PER_TOPIC = 4096;

export function settingsOf(ctx: BrokerContext): BrokerSettings {
  return ctx.settings ?? defaultBrokerSettings;
}

/** Groups items by a key, keeping first-seen order (responses list topics in request order). */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}
