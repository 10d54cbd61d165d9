import type { LogStore } from './log/types.js';
import type { GroupCoordinator } from './groups/coordinator.js';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

export interface BrokerIdentity {
  readonly nodeId: number;
  /** Host and port advertised in Metadata / FindCoordinator. */
  readonly host: string;
  readonly port: number;
  readonly clusterId: string;
}

/** Broker-wide settings the handlers follow (Kafka's broker configs of the same meaning). */
export interface BrokerSettings {
  /** auto.create.topics.enable: Metadata for an unknown topic creates it (default true). */
  readonly autoCreateTopics: boolean;
  /** num.partitions for auto-created topics (default 1). */
  readonly defaultPartitions: number;
}

export const defaultBrokerSettings: BrokerSettings = { autoCreateTopics: true, defaultPartitions: 1 };

/** Hands out producer ids for InitProducerId; never the same id twice, across restarts too. */
export interface ProducerIdSource {
  next(): Promise<bigint>;
}

/** Collaborators every handler receives; tests hand in fakes and a fake clock. */
export interface BrokerContext {
  readonly log: LogStore;
  readonly groups: GroupCoordinator;
  readonly clock: Clock;
  readonly identity: BrokerIdentity;
  /** Absent: defaultBrokerSettings. */
  readonly settings?: BrokerSettings;
  /** Absent: InitProducerId answers from an in-memory counter. */
  readonly producerIds?: ProducerIdSource;
}
