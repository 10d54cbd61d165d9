// DeleteTopics (key 20), versions 0-6; v6 names topics by name or by id (an unknown id answers
// UNKNOWN_TOPIC_ID). Deletion is immediate: the log removes the topic's files.
import type { BrokerContext } from '../context.js';
import { ErrorCode } from '../protocol/error-codes.js';
import {
  decodeDeleteTopicsRequest,
  encodeDeleteTopicsResponse,
  type DeletableTopicResult,
  type DeleteTopicState,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
} from '../protocol/messages/20-delete-topics.js';
import type { ApiHandler } from './types.js';
import { errorCodeOf, errorMessageOf } from './util.js';

function hasId(id: Buffer | null): id is Buffer {
  return id !== null && id.some((b) => b !== 0);
}

function deleteOne(ctx: BrokerContext, t: DeleteTopicState): DeletableTopicResult {
  const info =
    t.name !== null
      ? ctx.log.getTopic(t.name)
      : hasId(t.topicId)
        ? ctx.log.getTopicById(t.topicId)
        : undefined;
  if (!info) {
    const byId = t.name === null;
    return {
      name: t.name,
      topicId: t.topicId,
      errorCode: byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: byId
        ? 'This server does not host this topic ID.'
        : 'This server does not host this topic-partition.',
    };
  }
  try {
    ctx.log.deleteTopic(info.name);
    return { name: info.name, topicId: info.id, errorCode: ErrorCode.NONE, errorMessage: null };
  } catch (err) {
    return {
      name: info.name,
      topicId: info.id,
      errorCode: errorCodeOf(err),
      errorMessage: errorMessageOf(err),
    };
  }
}

export const deleteTopicsHandler: ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 6,
  flexibleFrom: 4,
  decode: decodeDeleteTopicsRequest,
  encode: encodeDeleteTopicsResponse,
  async handle(req, _v, ctx) {
    const responses = req.topics.map((t) => deleteOne(ctx, t));
    // As in Kafka, a deleted topic takes its committed group offsets with it.
    const deleted = responses
      .filter((r) => r.errorCode === ErrorCode.NONE && r.name !== null)
      .map((r) => r.name as string);
    await ctx.groups.onTopicsDeleted(deleted);
    return { throttleTimeMs: 0, responses };
  },
};
