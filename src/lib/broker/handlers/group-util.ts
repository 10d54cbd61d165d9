// Small helpers shared by the group API handlers.
import type { ConnectionInfo } from './types.js';

/** Kafka prints a member's host as Java's InetAddress.toString(): "/127.0.0.1". */
export function clientHostOf(conn: ConnectionInfo): string {
  const host = conn.clientHost.startsWith('::ffff:') ? conn.clientHost.slice(7) : conn.clientHost;
  return `/${host}`;
}

/** Groups (topic, partition, error) rows into the per-topic shape of the responses, in order. */
export function byTopic(
  rows: readonly { topic: string; partition: number; errorCode: number }[],
): { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] {
  const out = new Map<string, { partitionIndex: number; errorCode: number }[]>();
  for (const r of rows) {
    let list = out.get(r.topic);
    if (!list) out.set(r.topic, (list = []));
    list.push({ partitionIndex: r.partition, errorCode: r.errorCode });
  }
  return [...out].map(([name, partitions]) => ({ name, partitions }));
}
