// Direct access to kafkajs's own broker connection, for what its public API does not offer
// without a consumer group: a plain Fetch. The Kafka object keeps its cluster factory under a
// private symbol; using it keeps every byte on the wire kafkajs's own.
import type { Kafka } from 'kafkajs';

export interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
}

export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  logStartOffset: string;
  messages: FetchedMessage[];
}

interface KafkajsBroker {
  fetch(args: {
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: FetchedPartition[] }[] }>;
}

interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(args: { nodeId: string }): Promise<KafkajsBroker>;
}

export interface RawFetcher {
  fetch(args: {
    topic: string;
    partitions: { partition: number; offset: bigint; maxBytes?: number }[];
    maxWaitTime?: number;
    minBytes?: number;
    maxBytes?: number;
  }): Promise<FetchedPartition[]>;
  close(): Promise<void>;
}

export async function rawFetcher(kafka: Kafka): Promise<RawFetcher> {
  const sym = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  if (!sym) throw new Error('kafkajs internals changed: no cluster factory');
  const create = (kafka as unknown as Record<symbol, (o: object) => KafkajsCluster>)[sym] as (
    o: object,
  ) => KafkajsCluster;
  const cluster = create({ allowAutoTopicCreation: false });
  await cluster.connect();
  return {
    async fetch({ topic, partitions, maxWaitTime = 100, minBytes = 1, maxBytes = 10 * 1024 * 1024 }) {
      await cluster.addTargetTopic(topic);
      await cluster.refreshMetadata();
      const leaders = cluster.findLeaderForPartitions(
        topic,
        partitions.map((p) => p.partition),
      );
      const nodeId = Object.keys(leaders)[0];
      if (nodeId === undefined) throw new Error(`no leader for ${topic}`);
      const broker = await cluster.findBroker({ nodeId });
      const res = await broker.fetch({
        maxWaitTime,
        minBytes,
        maxBytes,
        topics: [
          {
            topic,
            partitions: partitions.map((p) => ({
              partition: p.partition,
              fetchOffset: p.offset.toString(),
              maxBytes: p.maxBytes ?? 1024 * 1024,
            })),
          },
        ],
      });
      return res.responses.flatMap((r) => r.partitions);
    },
    close: () => cluster.disconnect(),
  };
}
