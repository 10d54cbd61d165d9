// OffsetFetch (key 9), versions 1-9 (v0 read ZooKeeper and is gone in Kafka 4); kafkajs uses
// v4, librdkafka 2.0.2 v7, Kafka 4's Java clients v9 with several groups per request (v8+).
// Partitions without a committed offset answer -1 with empty metadata; null topics (v2+) mean
// every partition the group committed. There are no transactions, so RequireStable never has
// pending offsets to wait for; v9's member id and epoch only matter to KIP-848 groups.
import {
  decodeOffsetFetchRequest,
  encodeOffsetFetchResponse,
  type OffsetFetchGroup,
  type OffsetFetchRequest,
  type OffsetFetchRequestGroup,
  type OffsetFetchResponse,
} from '../protocol/messages/09-offset-fetch.js';
import type { BrokerContext } from '../context.js';
import type { ApiHandler } from './types.js';

function fetchGroup(ctx: BrokerContext, g: OffsetFetchRequestGroup): OffsetFetchGroup {
  const topics =
    g.topics === null ? null : g.topics.map((t) => ({ topic: t.name, partitions: t.partitionIndexes }));
  const r = ctx.groups.fetchOffsets(g.groupId, topics);
  const out = new Map<string, OffsetFetchGroup['topics'][number]>();
  // Requested topics keep their place even when they have no partitions.
  for (const t of topics ?? []) if (!out.has(t.topic)) out.set(t.topic, { name: t.topic, partitions: [] });
  for (const o of r.offsets) {
    let t = out.get(o.topic);
    if (!t) out.set(o.topic, (t = { name: o.topic, partitions: [] }));
    t.partitions.push({
      partitionIndex: o.partition,
      committedOffset: o.offset,
      committedLeaderEpoch: o.leaderEpoch,
      metadata: o.metadata,
      errorCode: o.errorCode,
    });
  }
  return { groupId: g.groupId, topics: [...out.values()], errorCode: r.errorCode };
}

export const offsetFetchHandler: ApiHandler<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 9,
  flexibleFrom: 6,
  decode: decodeOffsetFetchRequest,
  encode: encodeOffsetFetchResponse,
  handle(req, _v, ctx) {
    return { throttleTimeMs: 0, groups: req.groups.map((g) => fetchGroup(ctx, g)) };
  },
};
