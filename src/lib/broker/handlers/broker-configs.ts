import type { BrokerContext } from '../context.js';
import { settingsOf } from './util.js';

/** ConfigResource types on the wire (Kafka's ConfigResource.Type). */
export const ResourceType = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

/** ConfigSource values of DescribeConfigs v1+ (KIP-226). */
export const ConfigSource = { DYNAMIC_TOPIC: 1, STATIC_BROKER: 4, DEFAULT: 5 } as const;

/**
 * The broker configs we answer for resource type BROKER: a small, read-only set that says how
 * this broker behaves, under Kafka's names so that tools show familiar keys.
 */
export function brokerConfigs(ctx: BrokerContext): { name: string; value: string; isDefault: boolean }[] {
  const s = settingsOf(ctx);
  return [
    { name: 'node.id', value: String(ctx.identity.nodeId), isDefault: false },
    { name: 'auto.create.topics.enable', value: String(s.autoCreateTopics), isDefault: s.autoCreateTopics },
    { name: 'num.partitions', value: String(s.defaultPartitions), isDefault: s.defaultPartitions === 1 },
    { name: 'default.replication.factor', value: '1', isDefault: true },
    { name: 'offsets.topic.replication.factor', value: '1', isDefault: false },
    { name: 'socket.request.max.bytes', value: String(100 * 1024 * 1024), isDefault: true },
    { name: 'message.max.bytes', value: '1048588', isDefault: true },
    { name: 'log.retention.hours', value: '168', isDefault: true },
    { name: 'process.roles', value: 'broker,controller', isDefault: false },
  ];
}

/** A broker resource names us by node id, or '' for the cluster-wide defaults. */
export function isOurBroker(ctx: BrokerContext, name: string): boolean {
  return name === '' || name === String(ctx.identity.nodeId);
}
