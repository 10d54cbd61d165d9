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

/** Collaborators every handler receives; tests hand in fakes and a fake clock. */
export interface BrokerContext {
  readonly log: LogStore;
  readonly groups: GroupCoordinator;
  readonly clock: Clock;
  readonly identity: BrokerIdentity;
}
