import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/lib/broker/protocol/error-codes.js';
import { codeOf, open, tempDir } from './helpers.js';

async function store() {
  return open(tempDir(), { segmentBytes: 8 * 1024 * 1024 });
}

describe('createTopic', () => {
  const names: [string, number | string][] = [
    ['orders', 'no error'],
    ['a.b_c-D9', 'no error'],
    ['x'.repeat(249), 'no error'],
    ['x'.repeat(250), ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['.', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['..', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['...', 'no error'],
    ['has space', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['slash/no', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['ünïcode', ErrorCode.INVALID_TOPIC_EXCEPTION],
  ];
  it.each(names)('name %j -> %s', async (name, want) => {
    const s = await store();
    expect(await codeOf(() => s.createTopic(name, 1, {}))).toBe(want);
  });

  it.each([
    [0, ErrorCode.INVALID_PARTITIONS],
    [-1, ErrorCode.INVALID_PARTITIONS],
    [1.5, ErrorCode.INVALID_PARTITIONS],
    [1, 'no error'],
    [12, 'no error'],
  ])('%d partitions -> %s', async (n, want) => {
    const s = await store();
    expect(await codeOf(() => s.createTopic('t', n, {}))).toBe(want);
  });

  it('refuses an existing name, and a name that differs only by . versus _', async () => {
    const s = await store();
    s.createTopic('a.b', 1, {});
    expect(await codeOf(() => s.createTopic('a.b', 1, {}))).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(await codeOf(() => s.createTopic('a_b', 1, {}))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  it('gives each topic a distinct 16-byte id, findable by id', async () => {
    const s = await store();
    const a = s.createTopic('a', 1, {});
    const b = s.createTopic('b', 2, {});
    expect(a.id.length).toBe(16);
    expect(a.id.equals(b.id)).toBe(false);
    expect(s.getTopicById(b.id)).toEqual(b);
    expect(s.getTopicById(Buffer.alloc(16))).toBeUndefined();
  });

  it('a failed create leaves nothing behind', async () => {
    const s = await store();
    expect(await codeOf(() => s.createTopic('t', 1, { 'retention.ms': 'soon' }))).toBe(
      ErrorCode.INVALID_CONFIG,
    );
    expect(s.getTopic('t')).toBeUndefined();
    expect(await codeOf(() => s.createTopic('t', 1, {}))).toBe('no error');
  });

  it('createPartitions grows only', async () => {
    const s = await store();
    s.createTopic('t', 2, {});
    expect(await codeOf(() => s.createPartitions('t', 2))).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(await codeOf(() => s.createPartitions('t', 1))).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(await codeOf(() => s.createPartitions('nope', 3))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    s.createPartitions('t', 5);
    expect(s.getTopic('t')?.partitions).toBe(5);
    expect(s.logEndOffset('t', 4)).toBe(0n);
  });

  it('deleteTopic of an unknown topic is UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const s = await store();
    expect(await codeOf(() => s.deleteTopic('nope'))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});

describe('topic configs', () => {
  const values: [string, string, number | string][] = [
    ['retention.ms', '1000', 'no error'],
    ['retention.ms', '-1', 'no error'],
    ['retention.ms', '-2', ErrorCode.INVALID_CONFIG],
    ['retention.ms', '1h', ErrorCode.INVALID_CONFIG],
    ['retention.bytes', '1073741824', 'no error'],
    ['retention.bytes', '9223372036854775808', ErrorCode.INVALID_CONFIG],
    ['segment.bytes', '1048576', 'no error'],
    ['segment.bytes', '1048575', ErrorCode.INVALID_CONFIG],
    ['segment.ms', '0', ErrorCode.INVALID_CONFIG],
    ['cleanup.policy', 'compact', 'no error'],
    ['cleanup.policy', 'compact,delete', 'no error'],
    ['cleanup.policy', 'shred', ErrorCode.INVALID_CONFIG],
    ['message.timestamp.type', 'LogAppendTime', 'no error'],
    ['message.timestamp.type', 'logappendtime', ErrorCode.INVALID_CONFIG],
    ['min.insync.replicas', '0', ErrorCode.INVALID_CONFIG],
    ['min.insync.replicas', '2', 'no error'],
    ['max.message.bytes', '2000000', 'no error'],
    ['compression.type', 'zstd', 'no error'],
    ['compression.type', 'brotli', ErrorCode.INVALID_CONFIG],
    ['min.cleanable.dirty.ratio', '1.5', ErrorCode.INVALID_CONFIG],
    ['preallocate', 'yes', ErrorCode.INVALID_CONFIG],
    ['no.such.config', '1', ErrorCode.INVALID_CONFIG],
  ];
  it.each(values)('%s=%s -> %s', async (key, value, want) => {
    const s = await store();
    expect(await codeOf(() => s.createTopic('t', 1, { [key]: value })), 'on create').toBe(want);
    if (!s.getTopic('t')) s.createTopic('t', 1, {});
    expect(await codeOf(() => s.alterConfigs('t', { [key]: value }, false)), 'on alter').toBe(want);
  });

  it('describeConfigs lists every known key with its effective value and isDefault', async () => {
    const s = await store();
    s.createTopic('t', 1, { 'retention.ms': '5000' });
    const got = new Map(s.describeConfigs('t').map((c) => [c.name, c]));
    expect(got.get('retention.ms')).toEqual({ name: 'retention.ms', value: '5000', isDefault: false });
    expect(got.get('retention.bytes')).toEqual({ name: 'retention.bytes', value: '-1', isDefault: true });
    expect(got.get('segment.bytes'), 'store default').toEqual({
      name: 'segment.bytes',
      value: '8388608',
      isDefault: true,
    });
    expect(got.get('cleanup.policy')?.value).toBe('delete');
    expect(got.get('message.timestamp.type')?.value).toBe('CreateTime');
    expect(got.size).toBeGreaterThan(25);
  });

  it('incremental alter sets and removes keys; replace makes the given keys the whole set', async () => {
    const s = await store();
    s.createTopic('t', 1, { 'retention.ms': '5000', 'cleanup.policy': 'compact' });
    s.alterConfigs('t', { 'retention.bytes': '100', 'retention.ms': null }, false);
    expect(s.getTopic('t')?.configs).toEqual({ 'cleanup.policy': 'compact', 'retention.bytes': '100' });
    s.alterConfigs('t', { 'segment.ms': '60000' }, true);
    expect(s.getTopic('t')?.configs).toEqual({ 'segment.ms': '60000' });
    expect(await codeOf(() => s.alterConfigs('t', { 'retention.ms': 'x', 'segment.ms': '1' }, false))).toBe(
      ErrorCode.INVALID_CONFIG,
    );
    expect(s.getTopic('t')?.configs, 'a failed alter changes nothing').toEqual({ 'segment.ms': '60000' });
    expect(await codeOf(() => s.alterConfigs('nope', {}, false))).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});
