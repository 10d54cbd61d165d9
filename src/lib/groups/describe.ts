import type { GroupDescription } from 'kafkajs';
import { type KafkaSession, loadKafkajs } from '../kafka/client.js';
import { key } from '../kafka/partition-reader.js';
import { committedOffsets, lagRows, type PartitionLag, TopicBounds, topicsOf, totalLag } from './lag.js';

export interface TopicAssignment {
  topic: string;
  partitions: number[];
}

export interface GroupMemberInfo {
  memberId: string;
  clientId: string;
  host: string;
  /** Decoded from the consumer protocol assignment; empty while a rebalance is in progress. */
  assignment: TopicAssignment[];
}

export interface PartitionOwner {
  memberId: string;
  clientId: string;
  host: string;
}

export interface GroupPartitionInfo extends PartitionLag {
  /** The member the partition is assigned to, or null when no member holds it. */
  owner: PartitionOwner | null;
}

/** The `group describe --json` contract. */
export interface GroupDetail {
  group: string;
  /** False when the coordinator knows nothing of it: Dead, no members, no committed offsets. */
  exists: boolean;
  /** Empty, Stable, PreparingRebalance, CompletingRebalance or Dead. */
  state: string;
  /** "consumer" for Kafka consumers; "" for a group that only stores offsets. */
  protocolType: string;
  /** The partition assignor the members agreed on (e.g. range, RoundRobinAssigner). */
  protocol: string;
  members: GroupMemberInfo[];
  /** Topics the group committed offsets for or has assigned to members. */
  topics: string[];
  partitions: GroupPartitionInfo[];
  totalLag: number;
}

/** The `group list --json` contract, one per group. */
export interface GroupSummary {
  group: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: number;
  topics: string[];
  totalLag: number;
  /** Per member: client id and assignment (what --explain draws on). */
  memberAssignments: { memberId: string; clientId: string; assignment: TopicAssignment[] }[];
}

type AssignmentDecoder = (buf: Buffer) => { assignment: Record<string, number[]> } | null;

/**
 * A consumer-protocol member assignment is `version, [topic [partition]], user_data` (Kafka's
 * ConsumerProtocolAssignment; later versions only append fields). Other protocol types (Connect,
 * a group with no members) carry bytes we do not interpret.
 */
export function decodeMemberAssignment(
  protocolType: string,
  buf: Buffer | null | undefined,
  decode: AssignmentDecoder,
): TopicAssignment[] {
  if (protocolType !== 'consumer' || !buf || buf.length === 0) return [];
  try {
    const a = decode(buf);
    if (!a) return [];
    return Object.entries(a.assignment)
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((x, y) => x - y) }))
      .sort((x, y) => x.topic.localeCompare(y.topic));
  } catch {
    return [];
  }
}

/**
 * DescribeGroups for many groups. kafkajs throws for the whole batch if one group has an error
 * (Kafka 4 answers one for a KIP-848 consumer group, which is not classic); then each group is
 * asked alone, and a group that still fails is reported with state "Unknown".
 */
export async function describeGroupsRaw(session: KafkaSession, ids: string[]): Promise<GroupDescription[]> {
  if (ids.length === 0) return [];
  const admin = await session.admin();
  try {
    return (await admin.describeGroups(ids)).groups;
  } catch {
    const out: GroupDescription[] = [];
    for (const id of ids) {
      try {
        out.push(...(await admin.describeGroups([id])).groups);
      } catch {
        out.push({ groupId: id, members: [], protocol: '', protocolType: '', state: 'Unknown' as never });
      }
    }
    return out;
  }
}

export async function membersOf(d: GroupDescription): Promise<GroupMemberInfo[]> {
  const { AssignerProtocol } = await loadKafkajs();
  const decode: AssignmentDecoder = (b) => AssignerProtocol.MemberAssignment.decode(b);
  return d.members
    .map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      assignment: decodeMemberAssignment(d.protocolType, m.memberAssignment, decode),
    }))
    .sort((a, b) => a.clientId.localeCompare(b.clientId) || a.memberId.localeCompare(b.memberId));
}

function assignedTopics(members: readonly GroupMemberInfo[]): string[] {
  return members.flatMap((m) => m.assignment.map((a) => a.topic));
}

/** Committed offsets, log ends, lag and owners of every partition of the group's topics. */
export async function describeGroup(session: KafkaSession, groupId: string): Promise<GroupDetail> {
  const [d] = await describeGroupsRaw(session, [groupId]);
  const desc = d ?? { groupId, members: [], protocol: '', protocolType: '', state: 'Dead' as const };
  const members = await membersOf(desc);
  const committed = await committedOffsets(session, groupId);
  const topics = [...new Set([...topicsOf(committed.keys()), ...assignedTopics(members)])].sort();
  const tb = await TopicBounds.open(session, topics);
  const rows = lagRows(tb.topics, (t) => tb.partitions(t), await tb.bounds(), committed);
  const owners = new Map<string, PartitionOwner>();
  for (const m of members) {
    for (const a of m.assignment) {
      for (const p of a.partitions) {
        owners.set(key(a.topic, p), { memberId: m.memberId, clientId: m.clientId, host: m.host });
      }
    }
  }
  const partitions = rows.map((r) => ({ ...r, owner: owners.get(key(r.topic, r.partition)) ?? null }));
  return {
    group: groupId,
    exists: desc.state !== 'Dead' || members.length > 0 || committed.size > 0,
    state: desc.state,
    protocolType: desc.protocolType,
    protocol: desc.protocol,
    members,
    topics: tb.topics,
    partitions,
    totalLag: totalLag(partitions),
  };
}

/**
 * Every consumer group the cluster lists (ListGroups on each broker), with state and members
 * (DescribeGroups), topics and total lag (OffsetFetch per group, ListOffsets once for all).
 * Groups of other protocol types (e.g. Kafka Connect workers) are left out.
 */
export async function listGroups(
  session: KafkaSession,
): Promise<{ groups: GroupSummary[]; partitionCounts: Record<string, number> }> {
  const admin = await session.admin();
  const listed = (await admin.listGroups()).groups
    .filter((g) => g.protocolType === 'consumer' || g.protocolType === '')
    .map((g) => g.groupId)
    .sort();
  const descs = await describeGroupsRaw(session, listed);
  const perGroup = [];
  for (const d of descs) {
    const members = await membersOf(d);
    const committed = await committedOffsets(session, d.groupId);
    const topics = [...new Set([...topicsOf(committed.keys()), ...assignedTopics(members)])].sort();
    perGroup.push({ d, members, committed, topics });
  }
  const tb = await TopicBounds.open(
    session,
    perGroup.flatMap((g) => g.topics),
  );
  const bounds = await tb.bounds();
  const partitionCounts = Object.fromEntries(tb.topics.map((t) => [t, tb.partitions(t).length]));
  const groups = perGroup
    .map(({ d, members, committed, topics }) => {
      const present = topics.filter((t) => tb.topics.includes(t));
      const rows = lagRows(present, (t) => tb.partitions(t), bounds, committed);
      return {
        group: d.groupId,
        state: d.state,
        protocolType: d.protocolType,
        protocol: d.protocol,
        members: members.length,
        topics: present,
        totalLag: totalLag(rows),
        memberAssignments: members.map((m) => ({
          memberId: m.memberId,
          clientId: m.clientId,
          assignment: m.assignment,
        })),
      };
    })
    .sort((a, b) => a.group.localeCompare(b.group));
  return { groups, partitionCounts };
}
