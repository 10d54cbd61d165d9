import { EbError } from '../cli/errors.js';
import type { KafkaSession } from '../kafka/client.js';
import {
  OFFSET_DELETE_API_KEY,
  type OffsetDeleteResponse,
  offsetDeleteRequest,
} from '../kafka/wire/offset-delete.js';
import {
  groupCoordinator,
  kafkaError,
  type KjsCommitTopic,
  type KjsCoordinator,
  sendThrough,
} from './coordinator.js';

export interface OffsetToCommit {
  topic: string;
  partition: number;
  offset: number;
}

/** Errors that mean a consumer joined between our check and the commit. */
const GROUP_BECAME_ACTIVE = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS']);

/** Coordinator errors Kafka clients retry after finding the coordinator again. */
const COORDINATOR_MOVED = new Set([
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
]);

/**
 * Runs `f` against the group's coordinator, retrying (with a fresh FindCoordinator) while the
 * coordinator is moving or still loading the offsets topic, as a fresh Kafka does on first use.
 */
async function withCoordinator<T>(
  session: KafkaSession,
  groupId: string,
  f: (c: KjsCoordinator) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await f(await groupCoordinator(session, groupId));
    } catch (err) {
      const type = (err as { type?: string }).type ?? '';
      if (!COORDINATOR_MOVED.has(type) || attempt >= 6) throw err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}

function byTopic<T extends { topic: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(i.topic, [...(out.get(i.topic) ?? []), i]);
  return out;
}

/**
 * Commits offsets as an admin: OffsetCommit to the group coordinator with generation -1 and an
 * empty member id, as Kafka's AdminClient.alterConsumerGroupOffsets does. The coordinator accepts
 * that only while the group has no members (Kafka's validateOffsetCommit), and creates the group
 * (Empty, no protocol type) if it never existed. No consumer joins the group.
 */
export async function commitOffsetsAsAdmin(
  session: KafkaSession,
  groupId: string,
  offsets: readonly OffsetToCommit[],
): Promise<void> {
  if (offsets.length === 0) return;
  const topics: KjsCommitTopic[] = [...byTopic(offsets)].map(([topic, list]) => ({
    topic,
    partitions: list.map((o) => ({ partition: o.partition, offset: String(o.offset) })),
  }));
  try {
    // kafkajs's OffsetCommit response parser throws the first partition-level error.
    await withCoordinator(session, groupId, (c) =>
      c.offsetCommit({ groupId, groupGenerationId: -1, memberId: '', topics }),
    );
  } catch (err) {
    const type = (err as { type?: string }).type ?? '';
    if (GROUP_BECAME_ACTIVE.has(type)) {
      throw new EbError(
        `group ${groupId} became active while rewinding; nothing may have been committed (${type})`,
        {
          hint: `stop its consumers, check with \`eventbench group describe ${groupId}\`, and run the rewind again`,
          cause: err,
        },
      );
    }
    throw err;
  }
}

export interface OffsetDeleteOutcome {
  topic: string;
  partition: number;
  /** null when deleted; else the Kafka error name (e.g. GROUP_SUBSCRIBED_TO_TOPIC). */
  error: string | null;
}

/**
 * Deletes the group's committed offsets for the partitions (OffsetDelete, KIP-496). Kafka refuses
 * partitions of a topic the group's members are subscribed to (GROUP_SUBSCRIBED_TO_TOPIC); those
 * come back per partition. A group-level error (e.g. GROUP_ID_NOT_FOUND) throws.
 */
export async function deleteOffsetsAsAdmin(
  session: KafkaSession,
  groupId: string,
  partitions: readonly { topic: string; partition: number }[],
): Promise<OffsetDeleteOutcome[]> {
  const coordinator = await groupCoordinator(session, groupId);
  const range = coordinator.versions?.[OFFSET_DELETE_API_KEY];
  if (coordinator.versions && (!range || range.minVersion > 0)) {
    throw new EbError('this broker does not support deleting a group’s offsets (OffsetDelete, API 47)', {
      hint: 'Kafka 2.4 or later supports it; `group delete` removes the whole group instead',
    });
  }
  const topics = [...byTopic(partitions)].map(([name, list]) => ({
    name,
    partitions: list.map((p) => p.partition),
  }));
  const res = await sendThrough<OffsetDeleteResponse>(coordinator, offsetDeleteRequest({ groupId, topics }));
  if (res.errorCode !== 0) {
    const e = kafkaError(res.errorCode);
    if (e.type === 'GROUP_ID_NOT_FOUND') {
      throw new EbError(`group ${groupId} does not exist`, {
        hint: 'list groups with `eventbench group list`',
      });
    }
    throw e;
  }
  const out: OffsetDeleteOutcome[] = [];
  for (const t of res.topics) {
    for (const p of t.partitions) {
      out.push({
        topic: t.name,
        partition: p.partition,
        error: p.errorCode === 0 ? null : (kafkaError(p.errorCode).type ?? `error code ${p.errorCode}`),
      });
    }
  }
  return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/**
 * Deletes whole groups (DeleteGroups). Kafka refuses a group that has members (NON_EMPTY_GROUP)
 * and answers GROUP_ID_NOT_FOUND for an unknown one; both come back per group.
 */
export async function deleteGroupsAsAdmin(
  session: KafkaSession,
  groupIds: readonly string[],
): Promise<{ group: string; error: string | null }[]> {
  const admin = await session.admin();
  try {
    const res = await admin.deleteGroups([...groupIds]);
    return res.map((r) => ({ group: r.groupId, error: null }));
  } catch (err) {
    // kafkajs throws KafkaJSDeleteGroupsError with the failed groups in `groups`.
    const failed = (err as { groups?: { groupId: string; error?: { type?: string }; errorCode: number }[] })
      .groups;
    if (!failed) throw err;
    const byId = new Map(failed.map((f) => [f.groupId, f.error?.type ?? `error code ${f.errorCode}`]));
    return groupIds.map((g) => ({ group: g, error: byId.get(g) ?? null }));
  }
}
