// The classic rebalance protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the timers
// behind them (session expiry, rebalance timeout, initial delay, pending sync). Follows Kafka's
// GroupMetadataManager for classic groups step by step; the Kafka method each part mirrors is
// named in its comment. Everything runs on the event loop: waiting requests are promises that a
// later request or a timer resolves.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Group, Member, type GroupState } from './group.js';
import type {
  HeartbeatRequest,
  JoinRequest,
  JoinResult,
  LeaveResult,
  LeavingMember,
  SyncRequest,
  SyncResult,
} from './types.js';

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

function joinError(errorCode: number, memberId: string): JoinResult {
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

function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

export class Membership {
  constructor(
    private readonly host: GroupHost,
    private readonly opts: MembershipOptions,
  ) {}

  private get clock(): Clock {
    return this.host.clock;
  }

  // ---- JoinGroup -------------------------------------------------------------------------

  join(req: JoinRequest): Promise<JoinResult> {
    if (req.groupId === '') return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID, req.memberId));
    if (
      req.sessionTimeoutMs < this.opts.minSessionTimeoutMs ||
      req.sessionTimeoutMs > this.opts.maxSessionTimeoutMs
    ) {
      return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    const isNew = req.memberId === '';
    let group = this.host.group(req.groupId);
    if (!group) {
      // Only a member without an id may create a group; a known id in an unknown group is stale.
      if (!isNew) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
      group = this.host.createGroup(req.groupId);
    }
    if (group.is('Dead'))
      return Promise.resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, req.memberId));
    if (!group.supportsProtocols(req.protocolType, req.protocols)) {
      return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }
    return new Promise<JoinResult>((resolve) => {
      const g = group as Group;
      if (isNew) this.joinNewMember(g, req, resolve);
      else this.joinExistingMember(g, req, resolve);
    });
  }

  /** classicGroupJoinNewMember. */
  private joinNewMember(group: Group, req: JoinRequest, resolve: (r: JoinResult) => void): void {
    const memberId = `${req.clientId}-${randomUUID()}`;
    if (req.groupInstanceId !== null) {
      // Static membership (KIP-345), kept minimal: a returning instance replaces its old member
      // (which is fenced) and the group rebalances; a new instance joins without KIP-394's round trip.
      const old = this.staticMember(group, req.groupInstanceId);
      if (old) this.removeMember(group, old, ErrorCode.FENCED_INSTANCE_ID);
      this.addMemberAndRebalance(group, req, memberId, resolve);
      return;
    }
    if (req.requireKnownMemberId) {
      // KIP-394: hand out the id and make the client come back with it, so a client that times
      // out and retries does not leave a trail of members nobody will ever hear from.
      const timer = this.clock.setTimeout(() => this.expirePending(group, memberId), req.sessionTimeoutMs);
      group.pendingMembers.set(memberId, timer);
      resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId));
      return;
    }
    this.addMemberAndRebalance(group, req, memberId, resolve);
  }

  /** classicGroupJoinExistingMember. */
  private joinExistingMember(group: Group, req: JoinRequest, resolve: (r: JoinResult) => void): void {
    if (group.pendingMembers.has(req.memberId)) {
      this.addMemberAndRebalance(group, req, req.memberId, resolve);
      return;
    }
    const invalid = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (invalid !== ErrorCode.NONE) {
      resolve(joinError(invalid, req.memberId));
      return;
    }
    const member = group.members.get(req.memberId) as Member;
    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMemberAndRebalance(group, member, req, resolve);
        return;
      case 'CompletingRebalance':
        // A retried JoinGroup with unchanged protocols gets this generation's answer again.
        if (member.matches(req.protocols)) resolve(this.currentJoinResult(group, member.memberId));
        else this.updateMemberAndRebalance(group, member, req, resolve);
        return;
      case 'Stable':
        // The leader rejoining forces a rebalance (it may want to reassign, e.g. after a
        // metadata change); a follower with the same protocols just gets the current generation.
        if (group.isLeader(member.memberId) || !member.matches(req.protocols)) {
          this.updateMemberAndRebalance(group, member, req, resolve);
        } else {
          resolve(this.currentJoinResult(group, member.memberId));
        }
        return;
      default:
        resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    }
  }

  private addMemberAndRebalance(
    group: Group,
    req: JoinRequest,
    memberId: string,
    resolve: (r: JoinResult) => void,
  ): void {
    group.pendingMembers.get(memberId)?.cancel();
    group.pendingMembers.delete(memberId);
    const member = new Member(
      memberId,
      req.groupInstanceId,
      req.clientId,
      req.clientHost,
      req.sessionTimeoutMs,
      req.rebalanceTimeoutMs,
      req.protocolType,
      req.protocols,
    );
    if (group.is('PreparingRebalance') && group.previousState === 'Empty') group.newMemberAdded = true;
    member.joinWaiter = resolve;
    group.add(member);
    // A new member cannot heartbeat until its join completes, and a disconnected one would
    // linger: Kafka bounds its first join by the new-member join timeout instead.
    this.armSession(group, member, this.opts.newMemberJoinTimeoutMs);
    this.maybePrepareRebalanceOrCompleteJoin(group);
  }

  private updateMemberAndRebalance(
    group: Group,
    member: Member,
    req: JoinRequest,
    resolve: (r: JoinResult) => void,
  ): void {
    // A second JoinGroup while the first still waits: the first gets an answer so its
    // connection is not blocked forever (responses on a connection go out in order).
    member.answerJoin(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.clientId = req.clientId;
    member.clientHost = req.clientHost;
    member.joinWaiter = resolve;
    this.maybePrepareRebalanceOrCompleteJoin(group);
  }

  private maybePrepareRebalanceOrCompleteJoin(group: Group): void {
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

  private initialDelayExpired(group: Group, delay: number, remaining: number): void {
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
  private maybeCompleteJoinPhase(group: Group): void {
    if (group.is('PreparingRebalance') && group.hasAllMembersJoined() && group.previousState !== 'Empty') {
      this.completeJoin(group);
    }
  }

  /** completeClassicGroupJoin: drop who did not rejoin, start the generation, answer everyone. */
  private completeJoin(group: Group): void {
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

  private currentJoinResult(group: Group, memberId: string): JoinResult {
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
  private schedulePendingSync(group: Group): void {
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

  // ---- SyncGroup -------------------------------------------------------------------------

  sync(req: SyncRequest): Promise<SyncResult> {
    const group = this.host.group(req.groupId);
    if (!group) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.is('Dead')) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const invalid = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (invalid !== ErrorCode.NONE) return Promise.resolve(syncError(invalid));
    if (req.generationId !== group.generationId)
      return Promise.resolve(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (
      (req.protocolType !== null && req.protocolType !== group.protocolType) ||
      (req.protocolName !== null && req.protocolName !== group.protocolName)
    ) {
      return Promise.resolve(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const member = group.members.get(req.memberId) as Member;
    switch (group.state) {
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        group.pendingSync.delete(member.memberId);
        this.armSession(group, member, member.sessionTimeoutMs);
        return Promise.resolve(this.syncResult(group, member.assignment));
      case 'CompletingRebalance':
        return new Promise<SyncResult>((resolve) => {
          member.answerSync(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
          member.syncWaiter = resolve;
          group.pendingSync.delete(member.memberId);
          if (group.isLeader(member.memberId)) this.applyAssignment(group, req.assignments);
        });
      default:
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private syncResult(group: Group, assignment: Buffer): SyncResult {
    return {
      errorCode: ErrorCode.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment,
    };
  }

  /** The leader's assignment: members it left out get empty bytes; then the group is Stable. */
  private applyAssignment(group: Group, assignments: SyncRequest['assignments']): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of group.members.values())
      m.assignment = Buffer.from(byMember.get(m.memberId) ?? Buffer.alloc(0));
    this.transition(group, 'Stable');
    for (const m of group.members.values()) {
      m.answerSync(this.syncResult(group, m.assignment));
      this.armSession(group, m, m.sessionTimeoutMs);
    }
    this.host.groupChanged(group);
  }

  private resetAndPropagateAssignmentError(group: Group, errorCode: number): void {
    for (const m of group.members.values()) {
      m.assignment = Buffer.alloc(0);
      m.answerSync(syncError(errorCode));
    }
  }

  // ---- Heartbeat / LeaveGroup ------------------------------------------------------------

  heartbeat(req: HeartbeatRequest): number {
    const group = this.host.group(req.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const invalid = this.validateMember(group, req.memberId, req.groupInstanceId);
    if (invalid !== ErrorCode.NONE) return invalid;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    const member = group.members.get(req.memberId) as Member;
    switch (group.state) {
      case 'PreparingRebalance':
        // The answer that tells a member to rejoin; it still counts as a sign of life.
        this.armSession(group, member, member.sessionTimeoutMs);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case 'CompletingRebalance':
      case 'Stable':
        this.armSession(group, member, member.sessionTimeoutMs);
        return ErrorCode.NONE;
      default:
        return ErrorCode.UNKNOWN_MEMBER_ID;
    }
  }

  leave(groupId: string, leaving: readonly LeavingMember[]): LeaveResult {
    const group = this.host.group(groupId);
    const answer = (m: LeavingMember, errorCode: number): LeaveResult['members'][number] => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode,
    });
    if (!group)
      return {
        errorCode: ErrorCode.NONE,
        members: leaving.map((m) => answer(m, ErrorCode.UNKNOWN_MEMBER_ID)),
      };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map((l) => answer(l, this.leaveOne(group, l)));
    return { errorCode: ErrorCode.NONE, members };
  }

  private leaveOne(group: Group, l: LeavingMember): number {
    if (l.memberId === '' && l.groupInstanceId !== null) {
      // KIP-345 admin removal: a static member named by its instance id only.
      const m = this.staticMember(group, l.groupInstanceId);
      if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.removeMember(group, m, ErrorCode.UNKNOWN_MEMBER_ID);
      return ErrorCode.NONE;
    }
    if (group.pendingMembers.has(l.memberId)) {
      this.expirePending(group, l.memberId);
      return ErrorCode.NONE;
    }
    const invalid = this.validateMember(group, l.memberId, l.groupInstanceId);
    if (invalid !== ErrorCode.NONE) return invalid;
    this.removeMember(group, group.members.get(l.memberId) as Member, ErrorCode.UNKNOWN_MEMBER_ID);
    return ErrorCode.NONE;
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

  private staticMember(group: Group, groupInstanceId: string): Member | undefined {
    for (const m of group.members.values()) if (m.groupInstanceId === groupInstanceId) return m;
    return undefined;
  }

  /** Re-arms the member's session timer (a heartbeat, join or sync is a sign of life). */
  armSession(group: Group, member: Member, ms: number): void {
    member.sessionTimer?.cancel();
    member.sessionTimer = this.clock.setTimeout(() => this.sessionExpired(group, member), ms);
  }

  private sessionExpired(group: Group, member: Member): void {
    member.sessionTimer = null;
    if (group.members.get(member.memberId) !== member) return;
    // Members waiting in a rebalance count as alive: the rebalance and pending-sync timers
    // bound them. A new member waiting in its first join does expire (new-member timeout).
    if (!member.isNew && (member.awaitingJoin || member.awaitingSync)) return;
    this.removeMember(group, member, ErrorCode.UNKNOWN_MEMBER_ID);
  }

  private expirePending(group: Group, memberId: string): void {
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

  private removeFromGroup(group: Group, member: Member, errorCode: number): void {
    member.answerJoin(joinError(errorCode, ''));
    member.answerSync(syncError(errorCode));
    group.remove(member.memberId);
  }

  private transition(group: Group, to: GroupState): void {
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
