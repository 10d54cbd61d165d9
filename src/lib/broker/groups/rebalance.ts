// The timer-driven half of the classic rebalance protocol: preparing and completing the join
// phase (rebalance timeout, initial delay), pending-sync expiry, session expiry, and removing
// members. Follows Kafka's GroupMetadataManager for classic groups; the Kafka method each part
// mirrors is named in its comment. membership.ts builds the request handling on top of it.
import type { Clock } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { Group, GroupState, Member } from './group.js';
import type { JoinResult, SyncResult } from './types.js';

export interface MembershipOptions {
  /** group.initial.rebalance.delay.ms. */
  readonly initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms. */
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  /** How long a brand-new member may wait in its first JoinGroup (Kafka: 5 minutes). */
  readonly newMemberJoinTimeoutMs: number;
}

/** What the membership logic needs from the coordinator that owns the groups. */
export interface GroupHost {
  readonly clock: Clock;
  group(groupId: string): Group | undefined;
  createGroup(groupId: string): Group;
  /** A generation ended in Stable or Empty: the coordinator records the group. */
  groupChanged(group: Group): void;
}

export function joinError(errorCode: number, memberId: string): JoinResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

export class Rebalancer {
  constructor(
    protected readonly host: GroupHost,
    protected readonly opts: MembershipOptions,
  ) {}

  protected get clock(): Clock {
    return this.host.clock;
  }

  protected maybePrepareRebalanceOrCompleteJoin(group: Group): void {
    if (group.canRebalance()) this.prepareRebalance(group);
    else this.maybeCompleteJoinPhase(group);
  }

  /** prepareRebalance: members waiting in SyncGroup must rejoin; start the join timer. */
  prepareRebalance(group: Group): void {
    if (group.is('CompletingRebalance'))
      this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    group.pendingSyncTimer?.cancel();
    group.pendingSyncTimer = null;
    group.rebalanceTimer?.cancel();
    const initial = group.is('Empty');
    this.transition(group, 'PreparingRebalance');
    if (initial) {
      // group.initial.rebalance.delay.ms: give the other members of a new group time to arrive,
      // extending by one delay per newcomer, up to the rebalance timeout.
      const delay = this.opts.initialRebalanceDelayMs;
      const remaining = Math.max(group.rebalanceTimeoutMs() - delay, 0);
      group.rebalanceTimer = this.clock.setTimeout(
        () => this.initialDelayExpired(group, delay, remaining),
        delay,
      );
      return;
    }
    group.rebalanceTimer = this.clock.setTimeout(() => this.completeJoin(group), group.rebalanceTimeoutMs());
    this.maybeCompleteJoinPhase(group);
  }

  protected initialDelayExpired(group: Group, delay: number, remaining: number): void {
    if (group.newMemberAdded && remaining > 0) {
      group.newMemberAdded = false;
      const next = Math.max(remaining - delay, 0);
      group.rebalanceTimer = this.clock.setTimeout(
        () => this.initialDelayExpired(group, delay, next),
        Math.min(delay, remaining),
      );
      return;
    }
    this.completeJoin(group);
  }

  /** The join phase ends early once everyone is in, except in the initial delay. */
  protected maybeCompleteJoinPhase(group: Group): void {
    if (group.is('PreparingRebalance') && group.hasAllMembersJoined() && group.previousState !== 'Empty') {
      this.completeJoin(group);
    }
  }

  /** completeClassicGroupJoin: drop who did not rejoin, start the generation, answer everyone. */
  protected completeJoin(group: Group): void {
    group.rebalanceTimer?.cancel();
    group.rebalanceTimer = null;
    if (!group.is('PreparingRebalance')) return;
    for (const m of [...group.members.values()]) {
      if (!m.awaitingJoin && m.groupInstanceId === null)
        this.removeFromGroup(group, m, ErrorCode.UNKNOWN_MEMBER_ID);
    }
    const before = group.state;
    group.initNextGeneration();
    group.previousState = before;
    if (group.is('Empty')) {
      this.host.groupChanged(group);
      return;
    }
    for (const m of group.members.values()) {
      m.answerJoin(this.currentJoinResult(group, m.memberId));
      this.armSession(group, m, m.sessionTimeoutMs);
      m.isNew = false;
      group.pendingSync.add(m.memberId);
    }
    this.schedulePendingSync(group);
  }

  protected currentJoinResult(group: Group, memberId: string): JoinResult {
    const protocol = group.protocolName ?? '';
    const members = group.isLeader(memberId)
      ? [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          metadata: m.metadataFor(protocol),
        }))
      : [];
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? '',
      skipAssignment: false,
      memberId,
      members,
    };
  }

  /**
   * Members that got their JoinGroup answer must send SyncGroup within the rebalance timeout;
   * those that do not are removed and the group rebalances (Kafka's pending-sync expiration).
   */
  protected schedulePendingSync(group: Group): void {
    group.pendingSyncTimer?.cancel();
    const generation = group.generationId;
    group.pendingSyncTimer = this.clock.setTimeout(() => {
      group.pendingSyncTimer = null;
      const live = group.is('CompletingRebalance') || group.is('Stable');
      if (!live || group.generationId !== generation || group.pendingSync.size === 0) return;
      for (const id of [...group.pendingSync]) {
        const m = group.members.get(id);
        if (m) this.removeFromGroup(group, m, ErrorCode.UNKNOWN_MEMBER_ID);
      }
      this.prepareRebalance(group);
    }, group.rebalanceTimeoutMs());
  }

  protected syncResult(group: Group, assignment: Buffer): SyncResult {
    return {
      errorCode: ErrorCode.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment,
    };
  }

  /** The leader's assignment: members it left out get empty bytes; then the group is Stable. */
  protected resetAndPropagateAssignmentError(group: Group, errorCode: number): void {
    for (const m of group.members.values()) {
      m.assignment = Buffer.alloc(0);
      m.answerSync(syncError(errorCode));
    }
  }

  // ---- members and timers ----------------------------------------------------------------

  /** Kafka's validateMember: a static member is checked by instance id (fencing), others by id. */
  validateMember(group: Group, memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const m = this.staticMember(group, groupInstanceId);
      if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
      return m.memberId === memberId ? ErrorCode.NONE : ErrorCode.FENCED_INSTANCE_ID;
    }
    return group.members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  protected staticMember(group: Group, groupInstanceId: string): Member | undefined {
    for (const m of group.members.values()) if (m.groupInstanceId === groupInstanceId) return m;
    return undefined;
  }

  /** Re-arms the member's session timer (a heartbeat, join or sync is a sign of life). */
  armSession(group: Group, member: Member, ms: number): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = this.clock.setTimeout(() => this.sessionExpired(group, member), ms);
  }

  protected sessionExpired(group: Group, member: Member): void {
    member.sessionTimer = null;
    if (group.members.get(member.memberId) !== member) return;
    // Members waiting in a rebalance count as alive: the rebalance and pending-sync timers
    // bound them. A new member waiting in its first join does expire (new-member timeout).
    if (!member.isNew && (member.awaitingJoin || member.awaitingSync)) return;
    this.removeMember(group, member, ErrorCode.UNKNOWN_MEMBER_ID);
  }

  protected expirePending(group: Group, memberId: string): void {
    group.pendingMembers.get(memberId)?.cancel();
    if (!group.pendingMembers.delete(memberId)) return;
    this.maybeCompleteJoinPhase(group);
  }

  /** removeMemberAndUpdateClassicGroup: a leave or an expiry; the rest of the group rebalances. */
  removeMember(group: Group, member: Member, errorCode: number): void {
    this.removeFromGroup(group, member, errorCode);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.prepareRebalance(group);
        return;
      case 'PreparingRebalance':
        this.maybeCompleteJoinPhase(group);
        return;
      default:
    }
  }

  protected removeFromGroup(group: Group, member: Member, errorCode: number): void {
    member.answerJoin(joinError(errorCode, ''));
    member.answerSync(syncError(errorCode));
    group.remove(member.memberId);
  }

  protected transition(group: Group, to: GroupState): void {
    group.previousState = group.state;
    group.state = to;
  }

  /** Cancels every timer of a group (DeleteGroups, close) and answers anyone still waiting. */
  shutdownGroup(group: Group, errorCode: number): void {
    group.rebalanceTimer?.cancel();
    group.pendingSyncTimer?.cancel();
    for (const t of group.pendingMembers.values()) t.cancel();
    group.pendingMembers.clear();
    for (const m of [...group.members.values()]) this.removeFromGroup(group, m, errorCode);
  }
}
