// The one part of the consumer protocol's subscription metadata the coordinator reads: the
// topic list. Layout (ConsumerProtocolSubscription): int16 version, then an int32-counted array of
// int16-length topic names, then fields we do not need (user data, owned partitions, ...).
// Kafka reads it to answer OffsetDelete with GROUP_SUBSCRIBED_TO_TOPIC.
import { Decoder } from '../protocol/decoder.js';

/** The subscribed topics, or null when the metadata does not parse. */
export function subscribedTopicsOf(metadata: Buffer): string[] | null {
  try {
    const d = new Decoder(metadata);
    const version = d.int16();
    if (version < 0) return null;
    return d.array((x) => x.string());
  } catch {
    return null;
  }
}

/** Builds subscription metadata (version 0, no user data); used by tests and tools. */
export function encodeSubscription(topics: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0, 0])];
  const count = Buffer.alloc(4);
  count.writeInt32BE(topics.length);
  parts.push(count);
  for (const t of topics) {
    const name = Buffer.from(t, 'utf8');
    const len = Buffer.alloc(2);
    len.writeInt16BE(name.length);
    parts.push(len, name);
  }
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff])); // null user data
  return Buffer.concat(parts);
}
