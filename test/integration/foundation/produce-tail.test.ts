import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, KafkaMessage, Message, Producer } from 'kafkajs';
import { javaPartitioner, kafka, runCli, uniqueName } from '../../helpers/kafka.js';
import {
  byPartition,
  cli,
  cliJson,
  cliJsonError,
  connectedProducer,
  createTopic,
  deleteRecordsBefore,
  describeRun,
  headerJson,
  type JsonRecord,
  offsetsByPartition,
  parseJsonl,
  payloadJson,
  send,
  tailJsonl,
} from './support.js';

/**
 * produce and tail through the real CLI against whichever broker the run targets. Records are
 * written with kafkajs directly where the test needs exact control (partitions, timestamps,
 * tombstones, binary headers), and read back with kafkajs where the CLI's own reading is on trial.
 */

interface ProduceJson {
  topic: string;
  count: number;
  bytes: number;
  elapsedMs: number;
  partitions: {
    topic: string;
    partition: number;
    count: number;
    firstOffset: number | null;
    lastOffset: number | null;
  }[];
}
interface TailJson {
  count: number;
  records: JsonRecord[];
}

const k = kafka('eb-test-produce-tail');
let admin: Admin;
let producer: Producer;
let dir: string;
/** Whole seconds, 20 minutes ago: inside any retention, and before now (Kafka 4 rejects records far in the future). */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 20 * 60_000;

beforeAll(async () => {
  admin = k.admin();
  await admin.connect();
  producer = await connectedProducer(k);
  dir = mkdtempSync(join(tmpdir(), 'eb-produce-tail-'));
});
afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Reads a topic with kafkajs's own consumer (a throwaway group): the CLI is not involved. */
async function kafkajsRead(topic: string, want: number): Promise<(KafkaMessage & { partition: number })[]> {
  const consumer = k.consumer({ groupId: uniqueName('eb-verify'), allowAutoTopicCreation: false });
  await consumer.connect();
  const got: (KafkaMessage & { partition: number })[] = [];
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`kafkajs read ${got.length} of ${want} records`)),
        30_000,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          got.push({ ...message, partition });
          if (got.length >= want) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** The partition the Java client (and kafkajs's DefaultPartitioner) gives a key, of three. */
function javaPartitionOf(topic: string, key: string): number {
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  return javaPartitioner()({ topic, partitionMetadata, message: { key, value: null } });
}

function withoutTopic(r: JsonRecord): Omit<JsonRecord, 'topic'> {
  const { topic: _topic, ...rest } = r;
  return rest;
}

describe('lossless round trip through jsonl', () => {
  const src = uniqueName('eb-rt-src');
  const dst = uniqueName('eb-rt-dst');
  const sent: (Message & { partition: number })[] = [
    { partition: 0, key: 'k1', value: 'hello', headers: { a: '1' }, timestamp: String(T0) },
    { partition: 0, key: null, value: Buffer.from([0xff, 0x00, 0xfe]), timestamp: String(T0 + 1) },
    { partition: 0, key: 'k3', value: null, headers: { reason: 'gone' }, timestamp: String(T0 + 2) },
    {
      partition: 0,
      key: Buffer.from([0x80]),
      value: 'x',
      headers: { rep: ['1', '2'], bin: Buffer.from([0x00, 0xff]) },
      timestamp: String(T0 + 3),
    },
    {
      partition: 1,
      key: 'json',
      value: '{"a":{"b":[1,2]}}',
      headers: { ce_type: 't', empty: '' },
      timestamp: String(T0 + 10),
    },
    { partition: 1, key: '', value: '', timestamp: String(T0 + 11) },
    { partition: 1, key: 'dup-ts', value: 'same time', timestamp: String(T0 + 11) },
    { partition: 2, key: null, value: null, timestamp: String(T0 + 20) },
    {
      partition: 2,
      key: 'multi',
      value: '日本語\nnew\tline "q"',
      headers: { 'h-ü': 'ü', bin2: [Buffer.from([0xff]), 'txt'] },
      timestamp: String(T0 + 21),
    },
  ];
  /** What tail must print for `sent`, written out by hand (not by the code under test). */
  const want: JsonRecord[] = [
    { topic: src, partition: 0, offset: 0, timestamp: T0, key: 'k1', value: 'hello', headers: { a: '1' } },
    {
      topic: src,
      partition: 0,
      offset: 1,
      timestamp: T0 + 1,
      key: null,
      value: { base64: '/wD+' },
      headers: {},
    },
    {
      topic: src,
      partition: 0,
      offset: 2,
      timestamp: T0 + 2,
      key: 'k3',
      value: null,
      headers: { reason: 'gone' },
    },
    {
      topic: src,
      partition: 0,
      offset: 3,
      timestamp: T0 + 3,
      key: { base64: 'gA==' },
      value: 'x',
      headers: { rep: ['1', '2'], bin: { base64: 'AP8=' } },
    },
    {
      topic: src,
      partition: 1,
      offset: 0,
      timestamp: T0 + 10,
      key: 'json',
      value: '{"a":{"b":[1,2]}}',
      headers: { ce_type: 't', empty: '' },
    },
    { topic: src, partition: 1, offset: 1, timestamp: T0 + 11, key: '', value: '', headers: {} },
    {
      topic: src,
      partition: 1,
      offset: 2,
      timestamp: T0 + 11,
      key: 'dup-ts',
      value: 'same time',
      headers: {},
    },
    { topic: src, partition: 2, offset: 0, timestamp: T0 + 20, key: null, value: null, headers: {} },
    {
      topic: src,
      partition: 2,
      offset: 1,
      timestamp: T0 + 21,
      key: 'multi',
      value: '日本語\nnew\tline "q"',
      headers: { 'h-ü': 'ü', bin2: [{ base64: '/w==' }, 'txt'] },
    },
  ];
  let srcLines = '';

  beforeAll(async () => {
    await createTopic(admin, src, 3);
    await createTopic(admin, dst, 3);
    for (const m of sent) await send(producer, src, [m]);
  });

  it('tail --output jsonl prints every record exactly (binary, null key, tombstone, headers)', async () => {
    const r = await cli(['tail', src, '--until', 'end', '--output', 'jsonl']);
    srcLines = r.stdout;
    expect(r.stdout.endsWith('\n'), 'output ends with a newline').toBe(true);
    const got = byPartition(parseJsonl(r.stdout));
    expect(got).toEqual(byPartition(want));
  });

  it('produce --input jsonl into a second topic, then tail, gives identical records per partition', async () => {
    expect(srcLines, 'needs the previous test').not.toBe('');
    const summary = await cliJson<ProduceJson>(['produce', dst, '--input', 'jsonl'], { input: srcLines });
    expect(summary.count).toBe(sent.length);
    expect(summary.partitions.map((p) => [p.partition, p.count, p.firstOffset, p.lastOffset])).toEqual([
      [0, 4, 0, 3],
      [1, 3, 0, 2],
      [2, 2, 0, 1],
    ]);
    const copy = byPartition(await tailJsonl(dst));
    for (const r of Object.values(copy).flat()) expect(r.topic).toBe(dst);
    const original = byPartition(want);
    for (const p of [0, 1, 2]) {
      expect(copy[p]?.map(withoutTopic), `partition ${p} of the copy`).toEqual(
        original[p]?.map(withoutTopic),
      );
    }
  });

  it('the copy holds the same bytes as the original when read by kafkajs itself', async () => {
    const got = await kafkajsRead(dst, sent.length);
    const seen = got
      .map((m) => ({
        partition: m.partition,
        offset: Number(m.offset),
        timestamp: Number(m.timestamp),
        key: payloadJson(m.key ?? null),
        value: payloadJson(m.value ?? null),
        headers: headerJson(m.headers),
      }))
      .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    expect(seen).toEqual(want.map(withoutTopic));
  });

  it('jsonl input expresses what text input cannot: null value, null key, null and binary headers', async () => {
    const t = uniqueName('eb-rt-jsonl');
    await createTopic(admin, t, 2);
    const lines = [
      { partition: 1, timestamp: T0 + 5, key: 'del', value: null, headers: { n: null } },
      { key: null, value: { base64: '/wAB' }, headers: { b: { base64: '/w==' }, r: ['x', null, 'y'] } },
      { partition: 0, key: 'plain', value: 'v', headers: {} },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const summary = await cliJson<ProduceJson>(['produce', t, '--input', 'jsonl'], { input: lines + '\n\n' });
    expect(summary.count, 'blank lines are skipped').toBe(3);
    const got = await tailJsonl(t);
    const del = got.find((r) => r.key === 'del');
    expect(del, 'the tombstone').toMatchObject({
      partition: 1,
      timestamp: T0 + 5,
      value: null,
      headers: { n: null },
    });
    const bin = got.find((r) => r.key === null);
    expect(bin).toMatchObject({
      value: { base64: '/wAB' },
      headers: { b: { base64: '/w==' }, r: ['x', null, 'y'] },
    });
    expect(got.find((r) => r.key === 'plain')?.partition).toBe(0);
  });

  it('bad jsonl input exits 2 naming the line; nothing after it is sent', async () => {
    const t = uniqueName('eb-rt-bad');
    await createTopic(admin, t, 1);
    const err = await cliJsonError(['produce', t, '--input', 'jsonl'], 2, {
      input: '{"key":"a","value":"1"}\n{"key":"b","value":42}\n{"key":"c","value":"3"}\n',
    });
    expect(err.message).toMatch(/line 2/);
    const pErr = await cliJsonError(['produce', t, '--input', 'jsonl'], 2, {
      input: '{"partition":7,"key":"a","value":"1"}\n',
    });
    expect(pErr.message).toMatch(/partition 7/);
    const got = await tailJsonl(t);
    expect(
      got.map((r) => r.key),
      'records sent before the bad line may be there, never those after',
    ).not.toContain('c');
  });
});

describe('tail --from @<time>', () => {
  const t = uniqueName('eb-time');
  // p0: T0, +10s, +20s   p1: +5s, +15s, +25s   p2: +30s
  const layout: [number, number][] = [
    [0, 0],
    [0, 10_000],
    [0, 20_000],
    [1, 5_000],
    [1, 15_000],
    [1, 25_000],
    [2, 30_000],
  ];
  beforeAll(async () => {
    await createTopic(admin, t, 3);
    for (const [partition, dt] of layout) {
      await send(producer, t, [{ partition, value: `at+${dt}`, timestamp: String(T0 + dt) }]);
    }
  });

  const iso = (ms: number) => new Date(ms).toISOString();
  it.concurrent.each<[string, () => string, Record<number, number[]>]>([
    ['before every record', () => `@${T0 - 1000}`, { 0: [0, 1, 2], 1: [0, 1, 2], 2: [0] }],
    ['exactly a record time (epoch ms)', () => `@${T0 + 10_000}`, { 0: [1, 2], 1: [1, 2], 2: [0] }],
    ['exactly a record time (epoch s)', () => `@${(T0 + 10_000) / 1000}`, { 0: [1, 2], 1: [1, 2], 2: [0] }],
    ['between records (ISO 8601 UTC)', () => `@${iso(T0 + 12_000)}`, { 0: [2], 1: [1, 2], 2: [0] }],
    ['ISO 8601 with an offset zone', () => `@${isoWithZone(T0 + 16_000)}`, { 0: [2], 1: [2], 2: [0] }],
    ['after p0 and p1 ended', () => `@${T0 + 26_000}`, { 2: [0] }],
    ['just after the last record', () => `@${T0 + 30_001}`, {}],
    ['a relative time before all records', () => '@-1h', { 0: [0, 1, 2], 1: [0, 1, 2], 2: [0] }],
    ['a relative time after all records', () => '@-1m', {}],
    ['in the future', () => `@${iso(Date.now() + 86_400_000)}`, {}],
  ])('%s', async (_name, from, wantOffsets) => {
    const args = ['tail', t, '--from', from(), '--until', 'end', '--output', 'jsonl'];
    const r = await cli(args);
    expect(r.stderr, 'no error or warning for a time position').not.toMatch(/error|warning/i);
    expect(offsetsByPartition(parseJsonl(r.stdout)), describeRun(args, r)).toEqual(wantOffsets);
  });

  it('a per-partition map mixes offsets and times', async () => {
    const got = await tailJsonl(t, ['--from', `0=2,1=@${T0 + 14_000}`]);
    expect(offsetsByPartition(got), 'p2 is not named, so it is not read').toEqual({ 0: [2], 1: [1, 2] });
  });
});

/** 2026-…T…+02:00 for the same instant: the zone must be honoured, not dropped. */
function isoWithZone(ms: number): string {
  const local = new Date(ms + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
  return local;
}

describe('tail positions', () => {
  const t = uniqueName('eb-pos');
  const counts = [5, 3, 1];
  beforeAll(async () => {
    await createTopic(admin, t, 3);
    for (const [partition, n] of counts.entries()) {
      await send(
        producer,
        t,
        Array.from({ length: n }, (_, i) => ({
          partition,
          value: `p${partition}-${i}`,
          timestamp: String(T0 + i),
        })),
      );
    }
  });

  it.concurrent.each<[string, string[], Record<number, number[]>]>([
    ['earliest', ['--from', 'earliest'], { 0: [0, 1, 2, 3, 4], 1: [0, 1, 2], 2: [0] }],
    [
      '-2 per partition (fewer records means all of them)',
      ['--from', '-2'],
      { 0: [3, 4], 1: [1, 2], 2: [0] },
    ],
    ['+1 after the log start', ['--from', '+1'], { 0: [1, 2, 3, 4], 1: [1, 2] }],
    ['an offset (the end of p2 is no warning)', ['--from', '1'], { 0: [1, 2, 3, 4], 1: [1, 2] }],
    [
      '--until an offset (exclusive)',
      ['--from', 'earliest', '--until', '2'],
      { 0: [0, 1], 1: [0, 1], 2: [0] },
    ],
    [
      '--until a map (unnamed partitions run to the end)',
      ['--from', 'earliest', '--until', '0=1'],
      { 0: [0], 1: [0, 1, 2], 2: [0] },
    ],
    ['a per-partition map', ['--from', '0=3,2=earliest'], { 0: [3, 4], 2: [0] }],
    ['--partition 0,2', ['--from', 'earliest', '--partition', '0,2'], { 0: [0, 1, 2, 3, 4], 2: [0] }],
    ['--partition with -N', ['--from', '-1', '-p', '1'], { 1: [2] }],
    ['latest with --until end reads nothing', ['--from', 'latest'], {}],
  ])('%s', async (_name, extra, wantOffsets) => {
    const args = [
      'tail',
      t,
      '--output',
      'jsonl',
      ...(extra.includes('--until') ? [] : ['--until', 'end']),
      ...extra,
    ];
    const r = await cli(args);
    expect(offsetsByPartition(parseJsonl(r.stdout)), describeRun(args, r)).toEqual(wantOffsets);
    expect(r.stderr, 'no warning for positions inside the log').not.toMatch(/warning/i);
  });

  it('--max stops after that many records, with and without --until', async () => {
    const bounded = await tailJsonl(t, ['--from', 'earliest', '--until', 'end', '--max', '4']);
    expect(bounded.length, 'records with --max 4 --until end').toBe(4);
    // Following (no --until) must still exit once --max records were printed.
    const follow = await runCli(['tail', t, '--from', 'earliest', '--max', '2', '--output', 'jsonl'], {
      timeoutMs: 30_000,
    });
    expect(follow.code, describeRun(['tail', t, '--from', 'earliest', '--max', '2'], follow)).toBe(0);
    expect(parseJsonl(follow.stdout).length, 'records with --max 2 while following').toBe(2);
  });

  it('an offset past the end clamps to the end, with a warning on stderr', async () => {
    const args = ['tail', t, '--from', '100', '--until', 'end', '--output', 'jsonl'];
    const r = await cli(args);
    expect(parseJsonl(r.stdout), describeRun(args, r)).toEqual([]);
    expect(r.stderr, 'got no warning, want one per partition').toMatch(
      /warning:.*partition 0.*past the log end 5/,
    );
    expect(r.stderr).toMatch(/partition 2.*past the log end 1/);
  });

  it('bad --partition values are usage errors', async () => {
    const missing = await cliJsonError(['tail', t, '--partition', '0,5', '--until', 'end'], 2);
    expect(missing.message).toMatch(/5/);
    await cliJsonError(['tail', t, '--partition', 'zero', '--until', 'end'], 2);
    await cliJsonError(['tail', t, '--from', '7=earliest', '--until', 'end'], 2);
  });

  it('tail of a missing topic exits 1 naming it', async () => {
    const missing = uniqueName('eb-pos-missing');
    const err = await cliJsonError(['tail', missing, '--until', 'end'], 1);
    expect(err.message).toContain(missing);
  });
});

describe('tail after DeleteRecords (log start > 0)', () => {
  const t = uniqueName('eb-start');
  beforeAll(async () => {
    await createTopic(admin, t, 2);
    await send(
      producer,
      t,
      [0, 1, 2, 3, 4].map((i) => ({ partition: 0, value: `v${i}` })),
    );
    await send(producer, t, [{ partition: 1, value: 'only' }]);
    await deleteRecordsBefore(admin, t, [{ partition: 0, offset: 2 }]);
  });

  it('+N counts from the log start', async () => {
    expect(offsetsByPartition(await tailJsonl(t, ['--from', '+1', '-p', '0']))).toEqual({ 0: [3, 4] });
  });

  it('earliest and -N never go before the log start', async () => {
    expect(offsetsByPartition(await tailJsonl(t, ['--from', 'earliest']))).toEqual({ 0: [2, 3, 4], 1: [0] });
    expect(offsetsByPartition(await tailJsonl(t, ['--from', '-10', '-p', '0']))).toEqual({ 0: [2, 3, 4] });
  });

  it('an offset before the log start clamps to it, with a warning on stderr', async () => {
    const args = ['tail', t, '--from', '0', '--until', 'end', '--output', 'jsonl', '-p', '0'];
    const r = await cli(args);
    expect(offsetsByPartition(parseJsonl(r.stdout)), describeRun(args, r)).toEqual({ 0: [2, 3, 4] });
    expect(r.stderr).toMatch(/warning:.*partition 0.*before the log start 2/);
  });
});

describe('tail --until end while a producer keeps writing', () => {
  it('stops at the end offsets of when it started, and exits 0', async () => {
    const t = uniqueName('eb-until');
    await createTopic(admin, t, 2);
    for (let i = 0; i < 20; i++) await send(producer, t, [{ partition: i % 2, value: `before-${i}` }]);
    let writing = true;
    let written = 20;
    const writer = (async () => {
      while (writing) {
        await send(producer, t, [{ partition: written % 2, value: `during-${written}` }]);
        written++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    let r;
    let writtenAtStart = 0;
    try {
      writtenAtStart = written;
      r = await runCli(['tail', t, '--until', 'end', '--output', 'jsonl'], { timeoutMs: 45_000 });
    } finally {
      writing = false;
      await writer;
    }
    expect(r.code, `got exit ${r.code}, want 0 (-1 = killed: it never stopped)\n${r.stderr}`).toBe(0);
    const got = parseJsonl(r.stdout);
    expect(got.length, 'at least the records written before it started').toBeGreaterThanOrEqual(
      writtenAtStart,
    );
    // Every partition is read as a prefix, 0..n-1, with no gaps.
    for (const [p, offs] of Object.entries(offsetsByPartition(got))) {
      expect(offs, `partition ${p} offsets`).toEqual(offs.map((_, i) => i));
    }
    expect(written, 'the producer really kept writing past the tail').toBeGreaterThan(got.length);
  });
});

describe('filters and output formats', () => {
  const t = uniqueName('eb-fmt');
  const paris = '{"status":"PLACED","customer":{"address":{"city":"Paris"}},"n":1}';
  const lyon = '{"status":"PAID","customer":{"address":{"city":"Lyon"}},"n":2}';
  beforeAll(async () => {
    await createTopic(admin, t, 1);
    await send(producer, t, [
      { key: 'a', value: paris, headers: { ce_type: 'order.placed' }, timestamp: String(T0) },
      { key: 'b', value: lyon, headers: { ce_type: 'order.paid' }, timestamp: String(T0 + 1000) },
      { key: 'a', value: 'plain text', headers: { h: ['x', 'y'] }, timestamp: String(T0 + 2000) },
      { key: null, value: null, timestamp: String(T0 + 3000) },
    ]);
  });

  it.concurrent.each<[string, string[], number[]]>([
    ['--key', ['--key', 'a'], [0, 2]],
    ['--header', ['--header', 'ce_type=order.paid'], [1]],
    ['--header on a repeated header', ['-H', 'h=y'], [2]],
    ['--grep', ['--grep', 'Paris|plain'], [0, 2]],
    ['--where on a nested path', ['--where', 'customer.address.city=Lyon'], [1]],
    ['--where a number', ['--where', 'n=1'], [0]],
    ['--where and --key together', ['--where', 'status=PLACED', '--key', 'a'], [0]],
    ['--where and --key disagreeing', ['--where', 'status=PAID', '--key', 'a'], []],
    ['--max counts after filters', ['--key', 'a', '--max', '1'], [0]],
  ])('%s', async (_name, extra, want) => {
    const got = await tailJsonl(t, ['--from', 'earliest', '--until', 'end', ...extra]);
    expect(got.map((r) => r.offset)).toEqual(want);
  });

  it('--output raw prints values only, one per line (a tombstone is an empty line)', async () => {
    const r = await cli(['tail', t, '--until', 'end', '--output', 'raw']);
    expect(r.stdout).toBe(`${paris}\n${lyon}\nplain text\n\n`);
  });

  it('--output table prints time, partition, offset, key and compact value per line', async () => {
    const r = await cli(['tail', t, '--until', 'end', '--output', 'table']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split('\t'))).toEqual([
      [new Date(T0).toISOString(), '0', '0', 'a', paris],
      [new Date(T0 + 1000).toISOString(), '0', '1', 'b', lyon],
      [new Date(T0 + 2000).toISOString(), '0', '2', 'a', 'plain text'],
      [new Date(T0 + 3000).toISOString(), '0', '3', 'null', 'null'],
    ]);
  });

  it("--format '%p:%o %k %v' and the other directives", async () => {
    const r = await cli(['tail', t, '--until', 'end', '--format', '%p:%o %k %v']);
    expect(r.stdout).toBe(`0:0 a ${paris}\n0:1 b ${lyon}\n0:2 a plain text\n0:3 null null\n`);
    const more = await cli(['tail', t, '--until', 'end', '--key', 'a', '--format', '%t|%T|%s|%h|100%%']);
    expect(more.stdout).toBe(
      `${t}|${new Date(T0).toISOString()}|${T0}|ce_type=order.placed|100%\n` +
        `${t}|${new Date(T0 + 2000).toISOString()}|${T0 + 2000}|h=x h=y|100%\n`,
    );
  });

  it('--format with --output, or an unknown directive, is a usage error', async () => {
    await cliJsonError(['tail', t, '--until', 'end', '--format', '%v', '--output', 'raw'], 2);
    const err = await cliJsonError(['tail', t, '--until', 'end', '--format', '%q'], 2);
    expect(err.message).toMatch(/%q/);
    await cliJsonError(['tail', t, '--until', 'end', '--where', 'nopath'], 2);
    await cliJsonError(['tail', t, '--until', 'end', '--grep', '('], 2);
  });

  it('the default output in a pipe is jsonl', async () => {
    const r = await cli(['tail', t, '--until', 'end']);
    expect(parseJsonl(r.stdout).map((x) => x.offset)).toEqual([0, 1, 2, 3]);
  });

  it('several topics at once: each record names its topic', async () => {
    const other = uniqueName('eb-fmt-other');
    await createTopic(admin, other, 1);
    await send(producer, other, [{ key: 'o', value: 'other' }]);
    const got = parseJsonl((await cli(['tail', t, other, '--until', 'end', '--output', 'jsonl'])).stdout);
    expect(got.filter((r) => r.topic === t).length).toBe(4);
    expect(got.filter((r) => r.topic === other).map((r) => r.value)).toEqual(['other']);
  });
});

describe('--json result shapes', () => {
  it('tail --json: {count, records: [{topic, partition, offset, timestamp, key, value, headers}]}', async () => {
    const t = uniqueName('eb-json');
    await createTopic(admin, t, 1);
    await send(producer, t, [
      { key: 'k', value: Buffer.from([0xc3, 0x28]), headers: { h: '1' }, timestamp: String(T0) },
      { key: null, value: 'v', timestamp: String(T0 + 1) },
    ]);
    const res = await cliJson<TailJson>(['tail', t, '--until', 'end']);
    expect(Object.keys(res).sort()).toEqual(['count', 'records']);
    expect(res).toEqual({
      count: 2,
      records: [
        {
          topic: t,
          partition: 0,
          offset: 0,
          timestamp: T0,
          key: 'k',
          value: { base64: 'wyg=' },
          headers: { h: '1' },
        },
        { topic: t, partition: 0, offset: 1, timestamp: T0 + 1, key: null, value: 'v', headers: {} },
      ],
    });
  });

  it('produce --json: {topic, count, bytes, elapsedMs, partitions: [{topic, partition, count, firstOffset, lastOffset}]}', async () => {
    const t = uniqueName('eb-json-p');
    await createTopic(admin, t, 2);
    const res = await cliJson<ProduceJson>(['produce', t, 'aa', 'bbb', '--partition', '1', '--key', 'kk']);
    expect(Object.keys(res).sort()).toEqual(['bytes', 'count', 'elapsedMs', 'partitions', 'topic']);
    expect(typeof res.elapsedMs).toBe('number');
    expect({ ...res, elapsedMs: 0 }).toEqual({
      topic: t,
      count: 2,
      bytes: 2 + 3 + 2 * 2,
      elapsedMs: 0,
      partitions: [{ topic: t, partition: 1, count: 2, firstOffset: 0, lastOffset: 1 }],
    });
  });
});

describe('tail --group', () => {
  const t = uniqueName('eb-group');
  beforeAll(async () => {
    await createTopic(admin, t, 2);
    await send(
      producer,
      t,
      [0, 1, 2].map((i) => ({ partition: 0, value: `p0-${i}` })),
    );
    await send(
      producer,
      t,
      [0, 1].map((i) => ({ partition: 1, value: `p1-${i}` })),
    );
  });

  async function committed(group: string): Promise<Record<number, number>> {
    const res = await admin.fetchOffsets({ groupId: group, topics: [t] });
    return Object.fromEntries((res[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  }

  it('consumes as the group and commits what it read; a caught-up group then reads nothing and exits', async () => {
    const group = uniqueName('eb-g');
    const first = await tailJsonl(t, ['--group', group, '--from', 'earliest', '--until', 'end']);
    expect(offsetsByPartition(first)).toEqual({ 0: [0, 1, 2], 1: [0, 1] });
    expect(await committed(group), 'committed offsets after reading everything').toEqual({ 0: 3, 1: 2 });

    const args = ['tail', t, '--group', group, '--until', 'end', '--output', 'jsonl'];
    const again = await runCli(args, { timeoutMs: 30_000 });
    expect(again.code, `a caught-up group must stop at the end\n${describeRun(args, again)}`).toBe(0);
    expect(parseJsonl(again.stdout)).toEqual([]);

    await send(producer, t, [{ partition: 0, value: 'p0-3' }]);
    const resumed = await tailJsonl(t, ['--group', group]);
    expect(offsetsByPartition(resumed), 'resumes from the committed offsets').toEqual({ 0: [3] });
    expect(await committed(group)).toEqual({ 0: 4, 1: 2 });
  });

  it('commits only the records it printed (--max), not the rest of the fetch', async () => {
    const group = uniqueName('eb-g-max');
    const got = await tailJsonl(t, ['--group', group, '--from', 'earliest', '--until', 'end', '--max', '2']);
    expect(got.length).toBe(2);
    const c = await committed(group);
    const sum = Object.values(c).reduce((n, o) => n + Math.max(o, 0), 0);
    expect(sum, `got committed ${JSON.stringify(c)} for 2 records read from offset 0`).toBe(2);
    for (const r of got) expect(c[r.partition], `partition ${r.partition}`).toBeGreaterThan(r.offset);
  });

  it('--partition with --group reads and commits only those partitions, and stops', async () => {
    const group = uniqueName('eb-g-part');
    const args = ['tail', t, '--group', group, '--from', 'earliest', '--until', 'end', '--partition', '1'];
    const r = await runCli([...args, '--output', 'jsonl'], { timeoutMs: 30_000 });
    expect(
      r.code,
      `got exit ${r.code}, want 0 (-1 = killed: it never stopped)\n${describeRun(args, r)}`,
    ).toBe(0);
    expect(offsetsByPartition(parseJsonl(r.stdout))).toEqual({ 1: [0, 1] });
    const c = await committed(group);
    expect(c[1], 'partition 1 committed').toBe(2);
    expect(c[0] ?? -1, 'partition 0 not committed').toBe(-1);
  });

  it('plain tail leaves no consumer group or committed offset behind', async () => {
    const before = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    await tailJsonl(t, ['--from', 'earliest']);
    const follow = await runCli(['tail', t, '--from', 'earliest', '--max', '1'], { timeoutMs: 30_000 });
    expect(follow.code).toBe(0);
    const after = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => !before.has(g));
    // Other suites may create their own groups meanwhile; none of them may hold offsets for our topic.
    const touching: string[] = [];
    for (const g of after) {
      const offs = await admin.fetchOffsets({ groupId: g, topics: [t] });
      if (offs.some((o) => o.partitions.some((p) => Number(p.offset) >= 0))) touching.push(g);
      if (/eventbench/i.test(g)) touching.push(g);
    }
    expect(touching, `got new groups ${JSON.stringify(after)}`).toEqual([]);
  });
});

describe('produce', () => {
  async function freshTopic(partitions = 3): Promise<string> {
    const t = uniqueName('eb-produce');
    await createTopic(admin, t, partitions);
    return t;
  }

  it('values from arguments, with --key and --partition', async () => {
    const t = await freshTopic();
    const res = await cliJson<ProduceJson>(['produce', t, 'a', 'b', 'c', '--partition', '2', '--key', 'K']);
    expect(res.partitions.map((p) => [p.partition, p.count, p.firstOffset, p.lastOffset])).toEqual([
      [2, 3, 0, 2],
    ]);
    const got = await tailJsonl(t);
    expect(got.map((r) => [r.partition, r.key, r.value])).toEqual([
      [2, 'K', 'a'],
      [2, 'K', 'b'],
      [2, 'K', 'c'],
    ]);
  });

  it('lines from stdin (empty lines skipped, bytes kept as they are)', async () => {
    const t = await freshTopic(1);
    const input = Buffer.concat([Buffer.from('x\ny\n\n'), Buffer.from([0xff, 0xfe]), Buffer.from('\nz')]);
    const res = await cliJson<ProduceJson>(['produce', t], { input });
    expect(res.count).toBe(4);
    const got = await tailJsonl(t);
    expect(got.map((r) => [r.key, r.value])).toEqual([
      [null, 'x'],
      [null, 'y'],
      [null, { base64: '//4=' }],
      [null, 'z'],
    ]);
  });

  it('--file with --key-separator and repeated --header', async () => {
    const t = await freshTopic();
    const file = join(dir, 'records.txt');
    writeFileSync(file, 'k1::v1\nk2::v::2\nnosep\n');
    const res = await cliJson<ProduceJson>([
      'produce',
      t,
      '--file',
      file,
      '--key-separator',
      '::',
      '-H',
      'a=1',
      '--header',
      'b=3',
      '-H',
      'a=2',
    ]);
    expect(res.count).toBe(3);
    const got = (await tailJsonl(t)).sort((x, y) => (String(x.value) < String(y.value) ? -1 : 1));
    expect(got.map((r) => [r.key, r.value, r.headers])).toEqual([
      [null, 'nosep', { a: ['1', '2'], b: '3' }],
      ['k1', 'v1', { a: ['1', '2'], b: '3' }],
      ['k2', 'v::2', { a: ['1', '2'], b: '3' }],
    ]);
  });

  it.concurrent.each<[string, boolean]>([
    ['0', false],
    ['1', true],
    ['all', true],
  ])('--acks %s delivers (offsets reported: %s)', async (acks, offsetsKnown) => {
    const t = await freshTopic(1);
    const res = await cliJson<ProduceJson>(['produce', t, 'a', 'b', '--acks', acks]);
    expect(res.count).toBe(2);
    const p = res.partitions[0];
    expect(p?.count).toBe(2);
    if (offsetsKnown) expect([p?.firstOffset, p?.lastOffset]).toEqual([0, 1]);
    else expect([p?.firstOffset, p?.lastOffset], 'acks=0: the broker does not say').toEqual([null, null]);
    // acks=0 does not wait, so read until the two records are there rather than to "end".
    const got = await tailJsonl(t, ['--from', 'earliest', '--max', '2']);
    expect(got.map((r) => r.value)).toEqual(['a', 'b']);
  });

  it('--compression gzip round-trips text and jsonl input', async () => {
    const t = await freshTopic(1);
    const lines = Array.from({ length: 200 }, (_, i) => `line-${i} ${'x'.repeat(50)}`);
    const res = await cliJson<ProduceJson>(['produce', t, '--compression', 'gzip'], {
      input: lines.join('\n') + '\n',
    });
    expect(res.count).toBe(200);
    const got = await tailJsonl(t);
    expect(got.map((r) => r.value)).toEqual(lines);

    const t2 = await freshTopic(1);
    const jsonl = await cli(['tail', t, '--until', 'end', '--max', '3', '--output', 'jsonl']);
    await cliJson<ProduceJson>(['produce', t2, '--input', 'jsonl', '--compression', 'gzip'], {
      input: jsonl.stdout,
    });
    expect((await tailJsonl(t2)).map(withoutTopic)).toEqual(parseJsonl(jsonl.stdout).map(withoutTopic));
  });

  it('the summary (counts, first/last offsets) matches what tail reads; keys land where Java clients put them', async () => {
    const t = await freshTopic(3);
    const input = Array.from({ length: 30 }, (_, i) => `key-${i},value-${i}`).join('\n');
    const res = await cliJson<ProduceJson>(['produce', t, '--key-separator', ','], { input });
    expect(res.count).toBe(30);
    const got = await tailJsonl(t);
    const read = byPartition(got);
    expect(
      res.partitions.map((p) => [p.partition, p.count, p.firstOffset, p.lastOffset]),
      'summary vs tail',
    ).toEqual(
      Object.entries(read).map(([p, rs]) => [Number(p), rs.length, rs[0]!.offset, rs[rs.length - 1]!.offset]),
    );
    for (const r of got) {
      const want = javaPartitionOf(t, r.key as string);
      expect(r.partition, `partition of key ${String(r.key)}`).toBe(want);
      expect(r.value).toBe(String(r.key).replace('key', 'value'));
    }
  });

  it('a --file of several MiB arrives whole: lines across read-buffer borders, keyed and keyless, in order per partition', async () => {
    const t = await freshTopic(3);
    // Lengths from 1 to ~3,000 bytes, so lines straddle the 1 MiB reads at varying places; every
    // third line has no key; a value may hold the separator again (only the first one splits).
    const lines = Array.from({ length: 12_000 }, (_, i) => {
      const body = `value-${i}-${'v'.repeat((i * 7919) % 3000)}`;
      if (i % 3 === 0) return body;
      return `key-${i % 97}\t${body}${i % 5 === 0 ? '\tmore' : ''}`;
    });
    const file = join(dir, 'big.txt');
    writeFileSync(file, lines.join('\n') + '\n');
    const res = await cliJson<ProduceJson>(['produce', t, '--file', file, '--key-separator', '\t']);
    expect(res.count).toBe(lines.length);
    const got = await kafkajsRead(t, lines.length);
    expect(got.length).toBe(lines.length);
    const want = lines.map((l) => {
      const i = l.indexOf('\t');
      return i < 0 ? { key: null, value: l } : { key: l.slice(0, i), value: l.slice(i + 1) };
    });
    for (const p of [0, 1, 2]) {
      const read = got
        .filter((m) => m.partition === p)
        .sort((a, b) => Number(a.offset) - Number(b.offset))
        .map((m) => ({ key: m.key?.toString() ?? null, value: m.value?.toString() ?? null }));
      const here = new Set(read.map((x) => x.value));
      const expected = want.filter((r) =>
        r.key === null ? here.has(r.value) : javaPartitionOf(t, r.key) === p,
      );
      expect(read, `partition ${p}: every record, in file order`).toEqual(expected);
    }
  });

  it.concurrent.each<[string, (t: string) => string[], number]>([
    ['--acks bogus', (t) => ['produce', t, 'a', '--acks', 'bogus'], 2],
    ['--partition past the topic', (t) => ['produce', t, 'a', '--partition', '9'], 2],
    ['--file that does not exist', (t) => ['produce', t, '--file', join(dir, 'nope.txt')], 2],
    ['--file and arguments together', (t) => ['produce', t, 'a', '--file', join(dir, 'records.txt')], 2],
    ['--compression snappy', (t) => ['produce', t, 'a', '--compression', 'snappy'], 2],
    ['--header without =', (t) => ['produce', t, 'a', '--header', 'novalue'], 2],
    ['a topic that does not exist', () => ['produce', uniqueName('eb-produce-missing'), 'a'], 1],
  ])('%s fails with the right exit code', async (_name, args, code) => {
    const t = await freshTopic(3);
    await cliJsonError(args(t), code);
    const end = await admin.fetchTopicOffsets(t);
    expect(
      end.map((o) => o.high),
      'nothing was sent',
    ).toEqual(['0', '0', '0']);
  });
});
