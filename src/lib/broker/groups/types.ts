// What the group coordinator is asked and what it answers. Plain values, no bytes on the wire:
// the group handlers translate between these and the API codecs.
import type { GroupState, Protocol } from './group.js';

export interface JoinRequest {
  groupId: string;
  /** '' for a member joining for the first time. */
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  /** JoinGroup v0 has none: Kafka then uses the session timeout. */
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Protocol[];
  /** JoinGroup v4+ (KIP-394): a new member first gets MEMBER_ID_REQUIRED and its id. */
  requireKnownMemberId: boolean;
}

export interface JoinMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** Every member's metadata for the leader; empty for everyone else. */
  members: JoinMember[];
}

export interface SyncRequest {
  groupId: string;
  memberId: string;
  generationId: number;
  groupInstanceId: string | null;
  /** SyncGroup v5+: checked against the group's when present. */
  protocolType: string | null;
  protocolName: string | null;
  /** The leader's assignment; followers send none. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatRequest {
  groupId: string;
  memberId: string;
  generationId: number;
  groupInstanceId: string | null;
}

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveResult {
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface OffsetCommitEntry {
  topic: string;
  partition: number;
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
}

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 with an empty member id: a commit from outside group management (admin, simple consumer). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  offsets: OffsetCommitEntry[];
}

export interface PartitionError {
  topic: string;
  partition: number;
  errorCode: number;
}

export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
}

export interface FetchedOffset {
  topic: string;
  partition: number;
  /** -1n when nothing was committed. */
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface OffsetFetchResult {
  errorCode: number;
  offsets: FetchedOffset[];
}

export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  metadata: Buffer;
  assignment: Buffer;
}

export interface GroupDescription {
  groupId: string;
  errorCode: number;
  state: GroupState;
  protocolType: string;
  protocol: string;
  members: DescribedMember[];
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
  state: GroupState;
}
