import { KafkaSession } from '../kafka/client.js';
import { embeddedPaths, diskUsage, runningBroker } from './manager.js';

export interface BrokerStatus {
  running: boolean;
  pid: number | null;
  host: string | null;
  port: number | null;
  uptimeMs: number | null;
  dataDir: string;
  topics: number | null;
  partitions: number | null;
  groups: number | null;
  bytesOnDisk: number;
}

/** The embedded broker's process facts, plus what it holds (asked over the wire with kafkajs). */
export async function brokerStatus(paths = embeddedPaths()): Promise<BrokerStatus> {
  const st = runningBroker(paths);
  const dataDir = st?.dataDir ?? paths.dataDir;
  const base: BrokerStatus = {
    running: Boolean(st),
    pid: st?.pid ?? null,
    host: st?.host ?? null,
    port: st?.port ?? null,
    uptimeMs: st ? Date.now() - st.startedAt : null,
    dataDir,
    topics: null,
    partitions: null,
    groups: null,
    bytesOnDisk: diskUsage(dataDir),
  };
  if (!st) return base;
  const host = st.host === '0.0.0.0' ? '127.0.0.1' : st.host;
  const session = await KafkaSession.open(
    {
      source: 'embedded',
      brokers: [`${host}:${st.port}`],
      clientId: 'eventbench-status',
      describe: `embedded broker ${host}:${st.port}`,
    },
    { connectTimeoutMs: 5_000 },
  );
  try {
    const admin = await session.admin();
    const names = await admin.listTopics();
    const meta = await admin.fetchTopicMetadata({ topics: names });
    const groups = await admin.listGroups();
    return {
      ...base,
      topics: names.filter((n) => !n.startsWith('__')).length,
      partitions: meta.topics.reduce((n, t) => n + t.partitions.length, 0),
      groups: groups.groups.length,
    };
  } finally {
    await session.close();
  }
}
