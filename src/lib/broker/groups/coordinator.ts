// The classic group coordinator of our single broker: group membership (delegated to
// Membership), committed offsets (kept by OffsetStore), and the admin operations on groups.
// Behaviour follows Apache Kafka's GroupCoordinator for classic groups; where a rule is subtle,
// the comment names the Kafka check it mirrors.
//
// Usage: `const c = new GroupCoordinator({ dataDir, clock }); await c.load(); ... await c.close();`
// Persistence lives in <dataDir>/groups/ (see offset-store.ts). Members are not persisted: after
// a restart every group is Empty with its generation, protocol type and offsets, and a consumer
// that was running gets UNKNOWN_MEMBER_ID on its next heartbeat and rejoins. Committed offsets
// never expire (Kafka drops an Empty group's offsets after offsets.retention.minutes, 7 days);
// they go when their group or topic is deleted.
import { join } from 'node:path';
import { systemClock, type Clock } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Group, type GroupState } from './group.js';
import { Membership } from './membership.js';
import { OffsetStore } from './offset-store.js';
import type {
  DescribedMember,
  FetchedOffset,
  GroupDescription,
  GroupListing,
  HeartbeatRequest,
  JoinRequest,
  JoinResult,
  LeaveResult,
  LeavingMember,
  OffsetCommitRequest,
  OffsetFetchResult,
  PartitionError,
  SyncRequest,
  SyncResult,
} from './types.js';

export interface GroupCoordinatorOptions {
  /** Broker data directory; offsets go to <dataDir>/groups/. Absent or null: memory only. */
  readonly dataDir?: string | null;
  readonly clock?: Clock;
  /**
   * group.initial.rebalance.delay.ms. Kafka's default is 3000 (wait for more members of a new
   * group); ours is 0, so a single consumer on a dev broker starts at once. Later members still
   * join through a normal rebalance.
   */
  readonly initialRebalanceDelayMs?: number;
  /** group.min.session.timeout.ms (Kafka: 6000) and group.max.session.timeout.ms (1800000). */
  readonly minSessionTimeoutMs?: number;
  readonly maxSessionTimeoutMs?: number;
  /** How long a new member's first JoinGroup may wait (Kafka: 300000). */
  readonly newMemberJoinTimeoutMs?: number;
  /** offset.metadata.max.bytes (Kafka: 4096). */
  readonly offsetMetadataMaxBytes?: number;
  /** Journal size at which it is folded into the snapshot. */
  readonly journalCompactBytes?: number;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export class GroupCoordinator {
  readonly clock: Clock;
  private readonly groups = new Map<string, Group>();
  private readonly store: OffsetStore;
  private readonly membership: Membership;
  private readonly metadataMaxBytes: number;

  constructor(opts: GroupCoordinatorOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    const dir = opts.dataDir ? join(opts.dataDir, 'groups') : null;
    this.store = new OffsetStore({ dir, compactBytes: opts.journalCompactBytes });
    this.metadataMaxBytes = opts.offsetMetadataMaxBytes ?? 4096;
    this.membership = new Membership(
      {
        clock: this.clock,
        group: (id) => this.groups.get(id),
        createGroup: (id) => this.createGroup(id),
        groupChanged: (g) => this.recordGroup(g),
      },
      {
        initialRebalanceDelayMs: opts.initialRebalanceDelayMs ?? 0,
        minSessionTimeoutMs: opts.minSessionTimeoutMs ?? 6000,
        maxSessionTimeoutMs: opts.maxSessionTimeoutMs ?? 1_800_000,
        newMemberJoinTimeoutMs: opts.newMemberJoinTimeoutMs ?? 300_000,
      },
    );
  }

  /** Reads the persisted groups and offsets; every group comes back Empty. */
  async load(): Promise<void> {
    await this.store.load();
    for (const [id, rec] of this.store.groups) {
      const g = this.createGroup(id);
      g.generationId = rec.generationId;
      g.protocolType = rec.protocolType === '' ? null : rec.protocolType;
    }
    for (const id of this.store.offsets.keys()) if (!this.groups.has(id)) this.createGroup(id);
  }

  /** Stops all timers, answers waiting requests, and writes the final snapshot. */
  async close(): Promise<void> {
    for (const g of this.groups.values())
      this.membership.shutdownGroup(g, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    await this.store.close();
  }

  private createGroup(id: string): Group {
    const g = new Group(id);
    this.groups.set(id, g);
    return g;
  }

  private recordGroup(g: Group): void {
    const record = { protocolType: g.protocolType ?? '', generationId: g.generationId };
    // Group records are best effort: offsets are what must survive, and they have their own
    // acknowledged writes. A failed record costs at most the generation counter on restart.
    this.store.write({ op: 'group', group: g.groupId, record }).catch(() => undefined);
  }

  // ---- membership ------------------------------------------------------------------------

  joinGroup(req: JoinRequest): Promise<JoinResult> {
    return this.membership.join({
      ...req,
      protocols: req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) })),
    });
  }

  syncGroup(req: SyncRequest): Promise<SyncResult> {
    return this.membership.sync(req);
  }

  heartbeat(req: HeartbeatRequest): number {
    return this.membership.heartbeat(req);
  }

  leaveGroup(groupId: string, members: readonly LeavingMember[]): LeaveResult {
    return this.membership.leave(groupId, members);
  }

  // ---- committed offsets -----------------------------------------------------------------

  /**
   * OffsetCommit. Unknown group: a commit with generation -1 creates a "simple" group (the
   * admin client and manual-assignment consumers commit like this); any other generation is
   * stale (ILLEGAL_GENERATION, or GROUP_ID_NOT_FOUND from v9). `apiVersion` only picks that code.
   */
  async commitOffsets(req: OffsetCommitRequest, apiVersion = 8): Promise<PartitionError[]> {
    const all = (errorCode: number): PartitionError[] =>
      req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, errorCode }));
    if (req.groupId === '') return all(ErrorCode.INVALID_GROUP_ID);
    let group = this.groups.get(req.groupId);
    if (!group) {
      if (req.generationId >= 0)
        return all(apiVersion >= 9 ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION);
      group = this.createGroup(req.groupId);
    }
    const invalid = this.validateCommit(group, req);
    if (invalid !== ErrorCode.NONE) return all(invalid);
    const member = group.members.get(req.memberId);
    if (member && req.generationId >= 0) this.membership.armSession(group, member, member.sessionTimeoutMs);

    const now = this.clock.now();
    const results: PartitionError[] = [];
    const accepted: {
      topic: string;
      partition: number;
      value: { offset: bigint; leaderEpoch: number; metadata: string; commitTimestamp: number };
    }[] = [];
    for (const o of req.offsets) {
      const metadata = o.metadata ?? '';
      if (Buffer.byteLength(metadata) > this.metadataMaxBytes) {
        results.push({
          topic: o.topic,
          partition: o.partition,
          errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE,
        });
        continue;
      }
      accepted.push({
        topic: o.topic,
        partition: o.partition,
        value: { offset: o.offset, leaderEpoch: o.leaderEpoch, metadata, commitTimestamp: now },
      });
      results.push({ topic: o.topic, partition: o.partition, errorCode: ErrorCode.NONE });
    }
    if (accepted.length === 0) return results;
    try {
      await this.store.write({ op: 'commit', group: req.groupId, offsets: accepted });
    } catch {
      for (const r of results)
        if (r.errorCode === ErrorCode.NONE) r.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    return results;
  }

  /** ClassicGroup.validateOffsetCommit. */
  private validateCommit(group: Group, req: OffsetCommitRequest): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    // The group only uses Kafka to store offsets: no membership to check.
    if (req.generationId < 0 && group.is('Empty')) return ErrorCode.NONE;
    if (req.generationId >= 0 || req.memberId !== '' || req.groupInstanceId !== null) {
      const invalid = this.membership.validateMember(group, req.memberId, req.groupInstanceId);
      if (invalid !== ErrorCode.NONE) return invalid;
      if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    } else {
      // An outside commit (admin, generation -1, no member id) to a group with members: Kafka
      // refuses it, so an offset reset cannot pull the rug from under running consumers.
      return ErrorCode.UNKNOWN_MEMBER_ID;
    }
    // Valid member and generation but the assignment is not out yet: let it retry after sync.
    // (During PreparingRebalance commits of the old generation are still accepted, as in Kafka,
    // so members can commit before they rejoin.)
    if (group.is('CompletingRebalance')) return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  /** OffsetFetch for one group; `topics` null means every partition the group has committed. */
  fetchOffsets(groupId: string, topics: readonly TopicPartitions[] | null): OffsetFetchResult {
    const committed = this.store.offsets.get(groupId);
    const offsets: FetchedOffset[] = [];
    const push = (topic: string, partition: number): void => {
      const c = committed?.get(topic)?.get(partition);
      offsets.push({
        topic,
        partition,
        offset: c ? c.offset : -1n,
        leaderEpoch: c ? c.leaderEpoch : -1,
        metadata: c ? c.metadata : '',
        errorCode: ErrorCode.NONE,
      });
    };
    if (topics === null) {
      for (const [topic, parts] of committed ?? []) {
        for (const p of [...parts.keys()].sort((a, b) => a - b)) push(topic, p);
      }
    } else {
      for (const t of topics) for (const p of t.partitions) push(t.topic, p);
    }
    return { errorCode: ErrorCode.NONE, offsets };
  }

  /** OffsetDelete: refused for topics an active consumer subscribes to. */
  async deleteOffsets(
    groupId: string,
    partitions: readonly { topic: string; partition: number }[],
  ): Promise<{ errorCode: number; partitions: PartitionError[] }> {
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitions: [] };
    // ClassicGroup.validateOffsetDelete: only an Empty group, or a consumer group (per topic).
    if (!group.is('Empty') && group.protocolType !== 'consumer')
      return { errorCode: ErrorCode.NON_EMPTY_GROUP, partitions: [] };
    const results: PartitionError[] = [];
    const deleted: { topic: string; partition: number }[] = [];
    for (const p of partitions) {
      const subscribed = group.isSubscribedToTopic(p.topic);
      results.push({ ...p, errorCode: subscribed ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE });
      if (!subscribed) deleted.push({ topic: p.topic, partition: p.partition });
    }
    if (deleted.length > 0) {
      try {
        await this.store.write({ op: 'delete-offsets', group: groupId, partitions: deleted });
      } catch {
        return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, partitions: [] };
      }
    }
    return { errorCode: ErrorCode.NONE, partitions: results };
  }

  /** DeleteTopics drops the topics' committed offsets in every group, as Kafka does. */
  async onTopicsDeleted(topics: readonly string[]): Promise<void> {
    if (topics.length > 0) await this.store.write({ op: 'delete-topics', topics: [...topics] });
  }

  // ---- admin -----------------------------------------------------------------------------

  /** DescribeGroups; an unknown group is described as Dead, as Kafka does. */
  describeGroup(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) {
      return {
        groupId,
        errorCode: ErrorCode.NONE,
        state: 'Dead',
        protocolType: '',
        protocol: '',
        members: [],
      };
    }
    // Kafka shows the protocol, metadata and assignments only once the group is Stable.
    const stable = group.is('Stable');
    const protocol = stable ? (group.protocolName ?? '') : '';
    const members: DescribedMember[] = [];
    for (const m of group.members.values()) {
      members.push({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? m.metadataFor(protocol) : Buffer.alloc(0),
        assignment: stable ? m.assignment : Buffer.alloc(0),
      });
    }
    return {
      groupId,
      errorCode: ErrorCode.NONE,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocol,
      members,
    };
  }

  /** ListGroups; `states` (v4+) matches Kafka's state names case-insensitively. */
  listGroups(states: readonly string[] = []): GroupListing[] {
    const wanted = new Set(states.map((s) => s.toLowerCase()));
    const out: GroupListing[] = [];
    for (const g of this.groups.values()) {
      if (g.is('Dead')) continue;
      if (wanted.size > 0 && !wanted.has(g.state.toLowerCase())) continue;
      out.push({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state });
    }
    return out;
  }

  /** DeleteGroups: only Empty groups; their committed offsets go with them. */
  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    const out: { groupId: string; errorCode: number }[] = [];
    for (const groupId of groupIds) out.push({ groupId, errorCode: await this.deleteGroup(groupId) });
    return out;
  }

  private async deleteGroup(groupId: string): Promise<number> {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(groupId);
    if (!group || group.is('Dead')) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.is('Empty')) return ErrorCode.NON_EMPTY_GROUP;
    this.membership.shutdownGroup(group, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    group.state = 'Dead';
    this.groups.delete(groupId);
    try {
      await this.store.write({ op: 'delete-group', group: groupId });
      return ErrorCode.NONE;
    } catch {
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }

  /** Whether any group holds a committed offset (Kafka shows __consumer_offsets by then). */
  hasCommittedOffsets(): boolean {
    for (const byTopic of this.store.offsets.values())
      for (const parts of byTopic.values()) if (parts.size > 0) return true;
    return false;
  }

  /** For `broker status`: how many groups exist and in which states. */
  stateCounts(): Partial<Record<GroupState, number>> {
    const counts: Partial<Record<GroupState, number>> = {};
    for (const g of this.groups.values()) counts[g.state] = (counts[g.state] ?? 0) + 1;
    return counts;
  }
}
