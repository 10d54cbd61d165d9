import { createRequire } from 'node:module';
import { EbError } from '../cli/errors.js';
import type { KafkaSession } from '../kafka/client.js';

/*
 * The group coordinator, reached through kafkajs's own Cluster and Broker objects (not in its
 * typings). kafkajs's public admin.setOffsets starts a consumer that joins the group; an admin
 * commit must not (Kafka's AdminClient.alterConsumerGroupOffsets sends OffsetCommit with
 * generation -1 and no member id), so we call the coordinator broker directly, as kafkajs's
 * admin does for fetchOffsets. Still kafkajs on the wire: one client path.
 */

export interface KjsCommitTopic {
  topic: string;
  partitions: { partition: number; offset: string }[];
}

export interface KjsCoordinator {
  nodeId: number;
  versions: Record<number, { minVersion: number; maxVersion: number } | undefined> | null;
  offsetCommit(req: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: KjsCommitTopic[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number }[] }[] }>;
}

interface KjsGroupCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(q: { groupId: string }): Promise<KjsCoordinator>;
}

export type KafkaErrorFromCode = Error & { type?: string; retriable?: boolean };

/** One cluster per session, opened on first use and closed with the session. */
const clusters = new WeakMap<KafkaSession, Promise<KjsGroupCluster>>();

function privateMember<T>(obj: object, description: string): T {
  for (let o: object | null = obj; o; o = Object.getPrototypeOf(o) as object | null) {
    const sym = Object.getOwnPropertySymbols(o).find((s) => s.description === description);
    if (sym) return (o as Record<symbol, T>)[sym]!;
  }
  throw new EbError(`this kafkajs version has no ${description}; eventbench needs kafkajs 2.2.x`);
}

async function openCluster(session: KafkaSession): Promise<KjsGroupCluster> {
  await session.admin(); // proves reachability with the bounded connect (exit 3)
  const create = privateMember<(o: object) => KjsGroupCluster>(session.kafka, 'private:Kafka:createCluster');
  const cluster = create.call(session.kafka, { allowAutoTopicCreation: false, isolationLevel: 0 });
  await cluster.connect();
  session.onClose(() => cluster.disconnect());
  return cluster;
}

/** The broker that coordinates the group (FindCoordinator), with kafkajs's retries. */
export async function groupCoordinator(session: KafkaSession, groupId: string): Promise<KjsCoordinator> {
  let cluster = clusters.get(session);
  if (!cluster) {
    cluster = openCluster(session);
    clusters.set(session, cluster);
  }
  return (await cluster).findGroupCoordinator({ groupId });
}

/** Sends a request object we built through the broker's connection pool, as its own methods do. */
export function sendThrough<T>(broker: KjsCoordinator, req: object): Promise<T> {
  const send = privateMember<(r: object) => Promise<T>>(broker, 'private:Broker:sendRequest');
  return send.call(broker, req);
}

/** kafkajs's table of Kafka error codes (type names such as GROUP_SUBSCRIBED_TO_TOPIC). */
export function kafkaError(code: number): KafkaErrorFromCode {
  const require = createRequire(import.meta.url);
  const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
    createErrorFromCode(code: number): KafkaErrorFromCode;
  };
  return createErrorFromCode(code);
}
