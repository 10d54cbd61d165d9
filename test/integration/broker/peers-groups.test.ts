// Consumer groups driven by other real clients: kcat -G (librdkafka 2.0.2) and Apache Kafka 4.4's
// Java tools (console-consumer --group, kafka-consumer-groups --list/--describe/--reset-offsets).
// Runs against the embedded broker, or Apache Kafka when the run targets it, with the same
// assertions. Tools are spawned asynchronously because the broker under test is in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type Embedded } from './support/embedded.js';
import { exec, hasJava, hasKcat, kafkaSh } from './support/peer-tools.js';

let broker: Embedded;
const run = Date.now().toString(36);
const topic = `pg-${run}`;
/** Local wall-clock time between the two produced batches, for --to-datetime. */
let between = '';
const children: ChildProcess[] = [];

async function kcat(args: string[]): Promise<string> {
  const r = await exec('kcat', ['-b', broker.brokers, ...args]);
  expect(r.code, `kcat ${args.join(' ')} failed: ${r.err}`).toBe(0);
  return r.out;
}

async function tool(name: string, args: string[]): Promise<string> {
  const r = await exec(kafkaSh, ['tool', name, '--bootstrap-server', broker.brokers, ...args]);
  expect(r.code, `${name} ${args.join(' ')} failed: ${r.err}`).toBe(0);
  return r.out;
}

/** kafka-consumer-groups table rows as objects keyed by the header's column names. */
function table(out: string): Record<string, string>[] {
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  const h = lines.findIndex((l) => l.startsWith('GROUP '));
  if (h < 0) return [];
  const cols = (lines[h] as string).trim().split(/\s+/);
  return lines.slice(h + 1).map((l) => {
    const cells = l.trim().split(/\s+/);
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function localDateTime(d: Date): string {
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${date}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

beforeAll(async () => {
  broker = await startEmbedded();
  const kafka = new Kafka({
    brokers: [broker.brokers],
    clientId: 'peers-groups',
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const batch = (tag: string) =>
    Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `${tag}${i}` }));
  await producer.send({ topic, messages: batch('old') });
  await new Promise((r) => setTimeout(r, 50));
  between = localDateTime(new Date());
  await new Promise((r) => setTimeout(r, 50));
  await producer.send({ topic, messages: batch('new') });
  await producer.disconnect();
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await broker?.close();
});

describe.skipIf(!hasKcat)('kcat -G (librdkafka balanced consumer)', () => {
  const group = `pg-kcat-${run}`;

  it('consumes every record of both partitions, commits, and resumes from the commit', async () => {
    const out = await kcat(['-G', group, topic, '-o', 'beginning', '-e', '-f', '%s\n']);
    const got = out.split('\n').filter((l) => l !== '');
    expect(got.sort(), 'kcat -G read').toEqual(
      [
        ...Array.from({ length: 10 }, (_, i) => `old${i}`),
        ...Array.from({ length: 10 }, (_, i) => `new${i}`),
      ].sort(),
    );
    const again = await kcat(['-G', group, topic, '-e', '-f', '%s\n']);
    expect(again.trim(), 'second run re-read committed records').toBe('');
  });
});

describe.skipIf(!hasJava)("Kafka's Java tools with groups", () => {
  const group = `pg-java-${run}`;

  it('console-consumer --group reads everything and commits', async () => {
    const out = await tool('console-consumer', [
      '--group',
      group,
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      '20',
    ]);
    expect(out.split('\n').filter((l) => /^(old|new)\d$/.test(l))).toHaveLength(20);
  });

  it('kafka-consumer-groups --list and --describe show the group and its offsets', async () => {
    // Two JVMs at once: each tool spends most of its time starting up.
    const [listed, described] = await Promise.all([
      tool('consumer-groups', ['--list']),
      tool('consumer-groups', ['--describe', '--group', group]),
    ]);
    expect(listed.split('\n')).toContain(group);
    const rows = table(described);
    const offsets = rows.map((r) => [r.PARTITION, r['CURRENT-OFFSET'], r['LOG-END-OFFSET'], r.LAG]);
    expect(offsets.sort()).toEqual([
      ['0', '10', '10', '0'],
      ['1', '10', '10', '0'],
    ]);
  });

  it('--describe shows the members of a running group', async () => {
    const live = `pg-live-${run}`;
    const child = spawn(
      'kcat',
      ['-b', broker.brokers, '-u', '-G', live, topic, '-o', 'beginning', '-f', '%s\n'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let seen = 0;
    child.stdout.on('data', (c: Buffer) => (seen += c.toString().split('\n').length - 1));
    const end = Date.now() + 30_000;
    while (seen < 20 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(seen, 'kcat read the topic').toBeGreaterThanOrEqual(20);
    const rows = table(await tool('consumer-groups', ['--describe', '--group', live, '--members']));
    expect(rows, 'one member').toHaveLength(1);
    expect(rows[0]?.['CLIENT-ID']).toBe('rdkafka');
    expect(rows[0]?.HOST).toBe('/127.0.0.1');
    expect(rows[0]?.['#PARTITIONS']).toBe('2');
    // Offsets of an active group cannot be reset.
    const refused = await exec(kafkaSh, [
      'tool',
      'consumer-groups',
      '--bootstrap-server',
      broker.brokers,
      '--reset-offsets',
      '--to-earliest',
      '--execute',
      '--group',
      live,
      '--topic',
      topic,
    ]);
    expect(`${refused.out}${refused.err}`).toMatch(/inactive/);
    child.kill('SIGTERM');
  });

  it('--reset-offsets --to-datetime --execute moves the committed offsets', async () => {
    const early = table(
      await tool('consumer-groups', [
        '--reset-offsets',
        '--to-datetime',
        '2026-01-01T00:00:00.000',
        '--execute',
        '--group',
        group,
        '--topic',
        topic,
      ]),
    );
    // The records were written now; if this machine's clock is before 2026, they are all after it.
    expect(early.map((r) => [r.PARTITION, r['NEW-OFFSET']]).sort()).toEqual([
      ['0', Date.now() > Date.parse('2026-01-01') ? '0' : '10'],
      ['1', Date.now() > Date.parse('2026-01-01') ? '0' : '10'],
    ]);
    const mid = table(
      await tool('consumer-groups', [
        '--reset-offsets',
        '--to-datetime',
        between,
        '--execute',
        '--group',
        group,
        '--topic',
        topic,
      ]),
    );
    expect(mid.map((r) => [r.PARTITION, r['NEW-OFFSET']]).sort(), `reset to ${between}`).toEqual([
      ['0', '5'],
      ['1', '5'],
    ]);
    const out = await tool('console-consumer', ['--group', group, '--topic', topic, '--max-messages', '10']);
    expect(
      out
        .split('\n')
        .filter((l) => /^(old|new)\d$/.test(l))
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `new${i}`).sort());
  });
});
