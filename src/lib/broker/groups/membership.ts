// The request side of the classic rebalance protocol: JoinGroup, SyncGroup, Heartbeat and
// LeaveGroup, on top of the join-phase and timer logic of rebalance.ts. Follows Kafka's
// GroupMetadataManager for classic groups step by step; the Kafka method each part mirrors is
// named in its comment. Everything runs on the event loop: waiting requests are promises that a
// later request or a timer resolves.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes.js';
import { Member, type Group } from './group.js';
import { joinError, Rebalancer, syncError } from './rebalance.js';
import type {
  HeartbeatRequest,
  JoinRequest,
  JoinResult,
  LeaveResult,
  LeavingMember,
  SyncRequest,
  SyncResult,
} from './types.js';

export type { GroupHost, MembershipOptions } from './rebalance.js';

export class Membership extends Rebalancer {
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
}
