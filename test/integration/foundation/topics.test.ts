import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admin, ConfigResourceTypes, type Producer } from 'kafkajs';
import { kafka, runCli, target, uniqueName } from '../../helpers/kafka.js';
import {
  cliJson,
  cliJsonError,
  connectedProducer,
  deleteRecordsBefore,
  describeRun,
  eventually,
  send,
} from './support.js';

/**
 * Topic lifecycle through the real CLI with --json, checked against what a kafkajs admin sees.
 * Runs unchanged against the embedded broker and Apache Kafka.
 */

interface CreateResult {
  topic: string;
  created: boolean;
  partitions: number;
}
interface ConfigEntry {
  name: string;
  value: string | null;
  isDefault: boolean;
  isSensitive: boolean;
  readOnly: boolean;
}
interface ListResult {
  topics: { name: string; partitions: number; records: number; internal: boolean }[];
}
interface DescribeResult {
  name: string;
  records: number;
  partitions: {
    partition: number;
    leader: number;
    replicas: number[];
    isr: number[];
    earliest: number;
    latest: number;
    records: number;
  }[];
  configs: ConfigEntry[];
}
interface ConfigResult {
  topic: string;
  configs: ConfigEntry[];
}

const k = kafka('eb-test-topics');
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  admin = k.admin();
  await admin.connect();
  producer = await connectedProducer(k);
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
});

async function adminConfig(topic: string, name: string): Promise<string | undefined> {
  const res = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
  });
  return res.resources[0]?.configEntries.find((c) => c.configName === name)?.configValue;
}

function overrides(configs: ConfigEntry[]): Record<string, string | null> {
  return Object.fromEntries(configs.filter((c) => !c.isDefault).map((c) => [c.name, c.value]));
}

describe('topic create', () => {
  it('creates with -p and --config, as the broker then reports', async () => {
    const t = uniqueName('eb-create');
    const res = await cliJson<CreateResult>([
      'topic',
      'create',
      t,
      '-p',
      '4',
      '--config',
      'retention.ms=86400000',
      '--config',
      'cleanup.policy=delete',
    ]);
    expect(res).toEqual({ topic: t, created: true, partitions: 4 });
    const meta = await admin.fetchTopicMetadata({ topics: [t] });
    expect(meta.topics[0]?.partitions.length, 'partitions kafkajs sees').toBe(4);
    expect(await adminConfig(t, 'retention.ms'), 'retention.ms kafkajs sees').toBe('86400000');
    expect(await adminConfig(t, 'cleanup.policy')).toBe('delete');
  });

  it('refuses a duplicate with exit 2 unless --if-not-exists', async () => {
    const t = uniqueName('eb-dup');
    await cliJson<CreateResult>(['topic', 'create', t, '-p', '2']);
    const err = await cliJsonError(['topic', 'create', t, '-p', '2'], 2);
    expect(err.message).toContain(t);
    expect(err.message).toMatch(/already exists/);
    expect(err.hint ?? '').toContain('--if-not-exists');

    // Human output: one error line and a hint on stderr, nothing on stdout, no stack trace.
    const human = await runCli(['topic', 'create', t]);
    expect(human.code, describeRun(['topic', 'create', t], human)).toBe(2);
    expect(human.stderr).toMatch(/already exists/);
    expect(human.stderr).not.toContain('    at ');

    // --if-not-exists accepts it and reports the existing partition count, not the -p asked for.
    const again = await cliJson<CreateResult>(['topic', 'create', t, '-p', '7', '--if-not-exists']);
    expect(again).toEqual({ topic: t, created: false, partitions: 2 });
    const meta = await admin.fetchTopicMetadata({ topics: [t] });
    expect(meta.topics[0]?.partitions.length, 'partitions after --if-not-exists').toBe(2);
  });

  it('--if-not-exists on a new topic creates it', async () => {
    const t = uniqueName('eb-ine');
    expect(await cliJson<CreateResult>(['topic', 'create', t, '-p', '1', '--if-not-exists'])).toEqual({
      topic: t,
      created: true,
      partitions: 1,
    });
  });

  it.concurrent.each<[string, string[]]>([
    ['-p 0', ['-p', '0']],
    ['--config without =', ['--config', 'retention.ms']],
    ['-p not a number', ['-p', 'three']],
  ])('rejects %s with exit 2 and creates nothing', async (_name, flags) => {
    const t = uniqueName('eb-bad');
    await cliJsonError(['topic', 'create', t, ...flags], 2);
    expect(await admin.listTopics(), `got ${t} created, want none`).not.toContain(t);
  });
});

describe('topic list', () => {
  it('shows partitions and record counts (log end − log start), also after DeleteRecords', async () => {
    const t = uniqueName('eb-list');
    await cliJson<CreateResult>(['topic', 'create', t, '-p', '3']);
    await send(
      producer,
      t,
      [0, 1, 2, 3, 4].map((i) => ({ partition: 0, value: `a${i}` })),
    );
    await send(
      producer,
      t,
      [0, 1, 2].map((i) => ({ partition: 1, value: `b${i}` })),
    );

    const find = (l: ListResult) => l.topics.find((x) => x.name === t);
    const before = await cliJson<ListResult>(['topic', 'list']);
    expect(find(before), `got no ${t} in ${JSON.stringify(before.topics.map((x) => x.name))}`).toEqual({
      name: t,
      partitions: 3,
      records: 8,
      internal: false,
    });
    for (const x of before.topics) {
      expect(x.name.startsWith('__'), `got internal topic ${x.name} without --all`).toBe(false);
    }

    await deleteRecordsBefore(admin, t, [{ partition: 0, offset: 2 }]);
    const after = await cliJson<ListResult>(['topic', 'list']);
    expect(find(after)?.records, 'records after deleting 2 from partition 0: got, want 6').toBe(6);
  });

  it('--all includes internal topics (Kafka: __consumer_offsets once a group has committed)', async () => {
    const t = uniqueName('eb-list-all');
    await cliJson<CreateResult>(['topic', 'create', t, '-p', '1']);
    const group = uniqueName('eb-list-group');
    await admin.setOffsets({ groupId: group, topic: t, partitions: [{ partition: 0, offset: '0' }] });
    const all = await cliJson<ListResult>(['topic', 'list', '--all']);
    const plain = await cliJson<ListResult>(['topic', 'list']);
    expect(all.topics.map((x) => x.name)).toContain(t);
    expect(
      plain.topics.filter((x) => x.internal),
      'without --all, internal topics are hidden',
    ).toEqual([]);
    for (const x of all.topics)
      expect(x.internal, `${x.name}: internal iff it starts with __`).toBe(x.name.startsWith('__'));
    // Apache Kafka keeps committed offsets in its internal __consumer_offsets topic. The embedded
    // broker keeps them in its own files (documented in the README), so it has no internal topic.
    if (target() === 'kafka') {
      const internal = all.topics.find((x) => x.name === '__consumer_offsets');
      expect(
        internal,
        `got ${JSON.stringify(all.topics.map((x) => x.name))}, want __consumer_offsets`,
      ).toBeDefined();
      expect(internal?.internal).toBe(true);
    }
  });
});

describe('topic describe', () => {
  it('reports per-partition leader, earliest, latest, count and the configs', async () => {
    const t = uniqueName('eb-describe');
    await cliJson<CreateResult>(['topic', 'create', t, '-p', '3', '--config', 'retention.ms=3600000']);
    await send(
      producer,
      t,
      [0, 1, 2, 3, 4].map((i) => ({ partition: 0, value: `v${i}` })),
    );
    await send(
      producer,
      t,
      [0, 1, 2].map((i) => ({ partition: 1, value: `v${i}` })),
    );
    await deleteRecordsBefore(admin, t, [{ partition: 0, offset: 2 }]);

    const d = await cliJson<DescribeResult>(['topic', 'describe', t]);
    expect(d.name).toBe(t);
    expect(
      d.partitions.map((p) => ({
        partition: p.partition,
        earliest: p.earliest,
        latest: p.latest,
        records: p.records,
      })),
    ).toEqual([
      { partition: 0, earliest: 2, latest: 5, records: 3 },
      { partition: 1, earliest: 0, latest: 3, records: 3 },
      { partition: 2, earliest: 0, latest: 0, records: 0 },
    ]);
    expect(d.records, 'total records').toBe(6);
    const meta = await admin.fetchTopicMetadata({ topics: [t] });
    for (const p of d.partitions) {
      const m = meta.topics[0]?.partitions.find((x) => x.partitionId === p.partition);
      expect(p.leader, `partition ${p.partition} leader`).toBe(m?.leader);
      expect(p.replicas).toEqual(m?.replicas);
      expect(p.isr).toEqual(m?.isr);
    }
    const retention = d.configs.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '3600000', isDefault: false });
    const cleanup = d.configs.find((c) => c.name === 'cleanup.policy');
    expect(cleanup, 'got no cleanup.policy among the configs, want every topic config').toMatchObject({
      value: 'delete',
      isDefault: true,
    });
    expect(Object.keys(overrides(d.configs)), 'overrides: only what the topic was created with').toEqual([
      'retention.ms',
    ]);
  });

  it('a missing topic exits 1 naming it', async () => {
    const t = uniqueName('eb-missing');
    const err = await cliJsonError(['topic', 'describe', t], 1);
    expect(err.message).toContain(t);
  });
});

describe('topic config', () => {
  it('set keeps the other overrides; get shows them; --delete returns a key to its default', async () => {
    const t = uniqueName('eb-config');
    await cliJson<CreateResult>([
      'topic',
      'create',
      t,
      '-p',
      '1',
      '--config',
      'retention.ms=86400000',
      '--config',
      'cleanup.policy=delete',
    ]);

    const set = await cliJson<ConfigResult>(['topic', 'config', 'set', t, 'segment.ms=3600000']);
    expect(set.topic).toBe(t);
    expect(set.configs.map((c) => [c.name, c.value, c.isDefault])).toEqual([
      ['segment.ms', '3600000', false],
    ]);

    const got = await cliJson<ConfigResult>(['topic', 'config', 'get', t, '--overrides']);
    expect(overrides(got.configs), 'overrides after setting one key').toEqual({
      'cleanup.policy': 'delete',
      'retention.ms': '86400000',
      'segment.ms': '3600000',
    });
    // What the broker itself holds, not only what the CLI reports.
    expect(await adminConfig(t, 'retention.ms')).toBe('86400000');
    expect(await adminConfig(t, 'segment.ms')).toBe('3600000');

    const two = await cliJson<ConfigResult>([
      'topic',
      'config',
      'set',
      t,
      'retention.ms=1000',
      'max.message.bytes=2000000',
    ]);
    expect(two.configs.map((c) => [c.name, c.value])).toEqual([
      ['max.message.bytes', '2000000'],
      ['retention.ms', '1000'],
    ]);

    const named = await cliJson<ConfigResult>(['topic', 'config', 'get', t, 'retention.ms', 'segment.ms']);
    expect(named.configs.map((c) => [c.name, c.value])).toEqual([
      ['retention.ms', '1000'],
      ['segment.ms', '3600000'],
    ]);

    const del = await cliJson<ConfigResult>(['topic', 'config', 'set', t, '--delete', 'retention.ms']);
    expect(del.configs).toHaveLength(1);
    expect(del.configs[0]).toMatchObject({ name: 'retention.ms', isDefault: true });
    expect(del.configs[0]?.value, 'retention.ms back at its default').not.toBe('1000');
    const after = await cliJson<ConfigResult>(['topic', 'config', 'get', t, '--overrides']);
    expect(overrides(after.configs), 'overrides after --delete retention.ms').toEqual({
      'cleanup.policy': 'delete',
      'max.message.bytes': '2000000',
      'segment.ms': '3600000',
    });
  });

  it('all configs (no keys) include defaults marked as such', async () => {
    const t = uniqueName('eb-config-all');
    await cliJson<CreateResult>(['topic', 'create', t, '-p', '1']);
    const all = await cliJson<ConfigResult>(['topic', 'config', 'get', t]);
    const names = all.configs.map((c) => c.name);
    for (const want of ['cleanup.policy', 'retention.ms', 'retention.bytes', 'segment.bytes']) {
      expect(names, `got no ${want} among ${names.length} configs`).toContain(want);
    }
    expect(overrides(all.configs), 'a fresh topic has no overrides').toEqual({});
    expect([...names].sort(), 'sorted by name').toEqual(names);
  });

  it.concurrent.each<[string, string[], number]>([
    ['an unknown key', ['no.such.config=1'], 2],
    ['a setting without =', ['retention.ms'], 2],
    ['nothing to change', [], 2],
  ])('set rejects %s as a usage error', async (_name, settings, code) => {
    const t = uniqueName('eb-config-bad');
    await cliJson<CreateResult>(['topic', 'create', t, '-p', '1', '--config', 'retention.ms=5000']);
    await cliJsonError(['topic', 'config', 'set', t, ...settings], code);
    expect(await adminConfig(t, 'retention.ms'), 'unchanged').toBe('5000');
  });

  it('set on a missing topic exits 1', async () => {
    await cliJsonError(['topic', 'config', 'set', uniqueName('eb-nope'), 'retention.ms=1'], 1);
  });
});

describe('topic delete', () => {
  it('refuses without --force when not on a terminal (exit 2), and the topic stays', async () => {
    const t = uniqueName('eb-delete');
    await cliJson<CreateResult>(['topic', 'create', t, '-p', '1']);

    const human = await runCli(['topic', 'delete', t]);
    expect(human.code, describeRun(['topic', 'delete', t], human)).toBe(2);
    expect(human.stderr).toMatch(/--force/);
    expect(human.stderr).not.toContain('    at ');

    const err = await cliJsonError(['topic', 'delete', t], 2);
    expect(err.hint ?? '').toContain('--force');
    expect(await admin.listTopics(), `got ${t} gone, want it kept`).toContain(t);

    const res = await cliJson<{ deleted: string[] }>(['topic', 'delete', t, '--force']);
    expect(res).toEqual({ deleted: [t] });
    const gone = await eventually(async () => !(await admin.listTopics()).includes(t));
    expect(gone, `got ${t} still listed after delete --force, want it gone`).toBe(true);
  });

  it('deletes several at once; a missing one fails the whole command with exit 1', async () => {
    const a = uniqueName('eb-del-a');
    const b = uniqueName('eb-del-b');
    await cliJson<CreateResult>(['topic', 'create', a, '-p', '1']);
    await cliJson<CreateResult>(['topic', 'create', b, '-p', '1']);
    const missing = uniqueName('eb-del-missing');
    const err = await cliJsonError(['topic', 'delete', a, missing, '--force'], 1);
    expect(err.message).toContain(missing);
    expect(await admin.listTopics(), 'nothing deleted when one name is wrong').toContain(a);

    expect(await cliJson<{ deleted: string[] }>(['topic', 'delete', a, b, '-f'])).toEqual({
      deleted: [a, b],
    });
    const gone = await eventually(async () => {
      const left = await admin.listTopics();
      return !left.includes(a) && !left.includes(b);
    });
    expect(gone, 'both topics gone').toBe(true);
  });
});
