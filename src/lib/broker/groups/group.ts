// One classic consumer group and its members, as Kafka's ClassicGroup / ClassicGroupMember keep
// them: state, generation, leader, chosen protocol, and each member's protocols, assignment and
// the answer it is waiting for. Pure data plus small rules; timers and flow live in rebalance.ts.
import { subscribedTopicsOf } from './consumer-protocol.js';
import type { JoinResult, SyncResult } from './types.js';

/** Kafka's state names; DescribeGroups and ListGroups print exactly these. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export const GROUP_STATES: readonly GroupState[] = [
  'Empty',
  'PreparingRebalance',
  'CompletingRebalance',
  'Stable',
  'Dead',
];

export interface Protocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface Timer {
  cancel(): void;
}

export class Member {
  assignment: Buffer = Buffer.alloc(0);
  /** True until the member's first join completes (Kafka's isNew: it may expire while waiting). */
  isNew = true;
  joinWaiter: ((r: JoinResult) => void) | null = null;
  syncWaiter: ((r: SyncResult) => void) | null = null;
  sessionTimer: Timer | null = null;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    public clientId: string,
    public clientHost: string,
    public sessionTimeoutMs: number,
    public rebalanceTimeoutMs: number,
    public protocolType: string,
    public protocols: Protocol[],
  ) {}

  get awaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get awaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  metadataFor(protocol: string): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0);
  }

  /** Same protocols with the same metadata, in the same order (Kafka's MemberMetadata.matches). */
  matches(protocols: readonly Protocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.protocols[i] as Protocol;
      return mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  /** Answers a waiting JoinGroup, if any. */
  answerJoin(r: JoinResult): void {
    const w = this.joinWaiter;
    this.joinWaiter = null;
    w?.(r);
  }

  /** Answers a waiting SyncGroup, if any. */
  answerSync(r: SyncResult): void {
    const w = this.syncWaiter;
    this.syncWaiter = null;
    w?.(r);
  }
}

export class Group {
  state: GroupState = 'Empty';
  /** The state before the last transition; the initial join (from Empty) waits out its delay. */
  previousState: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Insertion order matters: the next leader is the oldest remaining member, as in Kafka. */
  readonly members = new Map<string, Member>();
  /** KIP-394: ids handed out with MEMBER_ID_REQUIRED, not yet joined; each with its expiry timer. */
  readonly pendingMembers = new Map<string, Timer>();
  /** Members that got their JoinGroup answer but have not sent SyncGroup for this generation. */
  readonly pendingSync = new Set<string>();
  /** Topics the members subscribe to (consumer protocol), or null when unknown. */
  subscribedTopics: Set<string> | null = null;
  /** Set when a member joins a new group during the initial rebalance delay. */
  newMemberAdded = false;
  rebalanceTimer: Timer | null = null;
  pendingSyncTimer: Timer | null = null;

  constructor(readonly groupId: string) {}

  is(state: GroupState): boolean {
    return this.state === state;
  }

  /** Kafka rebalances only from these states (GroupMetadata.canRebalance). */
  canRebalance(): boolean {
    return this.state === 'Stable' || this.state === 'CompletingRebalance' || this.state === 'Empty';
  }

  add(member: Member): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (this.leaderId === null) this.leaderId = member.memberId;
  }

  /** Removes a member; a departing leader hands over to the oldest remaining member. */
  remove(memberId: string): Member | undefined {
    const m = this.members.get(memberId);
    if (!m) return undefined;
    m.sessionTimer?.cancel();
    m.sessionTimer = null;
    this.members.delete(memberId);
    this.pendingSync.delete(memberId);
    if (this.leaderId === memberId) {
      const next = this.members.keys().next();
      this.leaderId = next.done ? null : next.value;
    }
    return m;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  /** Every known member is waiting in JoinGroup and no KIP-394 id is outstanding. */
  hasAllMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.awaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** Max of the members' rebalance timeouts: how long a rebalance waits for rejoins. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Protocol names every member supports. */
  candidateProtocols(): Set<string> {
    const all = [...this.members.values()];
    const first = all[0];
    if (!first) return new Set<string>();
    const common = new Set<string>(first.protocols.map((p) => p.name));
    for (const m of all.slice(1)) {
      const names = new Set<string>(m.protocols.map((p) => p.name));
      for (const n of common) if (!names.has(n)) common.delete(n);
    }
    return common;
  }

  /**
   * Whether a joining member fits (Kafka's supportsProtocols): any non-empty offer fits an empty
   * group; otherwise the protocol type must match and one protocol must be shared by everyone.
   */
  supportsProtocols(protocolType: string, protocols: readonly Protocol[]): boolean {
    if (this.members.size === 0) return protocolType.length > 0 && protocols.length > 0;
    if (protocolType !== this.protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocols.some((p) => candidates.has(p.name));
  }

  /**
   * Kafka's selectProtocol: among the protocols all members support, each member votes for the
   * first one in its own preference order; the most votes wins (ties go to the earlier vote).
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.protocols.find((p) => candidates.has(p.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = -1;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    // Joins are refused unless they share a protocol with everyone, so there is always a vote;
    // the fallback only keeps a timer callback from throwing if that ever breaks.
    return best ?? this.members.values().next().value?.protocols[0]?.name ?? '';
  }

  /**
   * Starts the next generation once the join phase is over (GroupMetadata.initNextGeneration):
   * with members, pick the protocol and wait for SyncGroup; without, the group is Empty.
   */
  initNextGeneration(): void {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.state = 'CompletingRebalance';
    } else {
      this.protocolName = null;
      this.subscribedTopics = null;
      this.state = 'Empty';
    }
    this.pendingSync.clear();
  }

  /** Union of the members' subscriptions when the group speaks the consumer protocol. */
  private computeSubscribedTopics(): Set<string> | null {
    if (this.protocolType !== 'consumer' || this.protocolName === null) return null;
    const all = new Set<string>();
    for (const m of this.members.values()) {
      const topics = subscribedTopicsOf(m.metadataFor(this.protocolName));
      if (topics === null) return null;
      for (const t of topics) all.add(t);
    }
    return all;
  }

  /** Kafka's isSubscribedToTopic: false when the subscriptions are unknown. */
  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics?.has(topic) ?? false;
  }
}
