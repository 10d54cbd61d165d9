// Other real clients against the embedded broker: kcat (librdkafka) and Apache Kafka's Java
// tools from the jars of scripts/kafka.sh. Both are spawned asynchronously, because the broker
// under test runs in this process. Group-based cases (kcat -G, console-consumer --group,
// kafka-consumer-groups) belong with the group coordinator's tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbedded, type Embedded } from './support/embedded.js';
import { exec, hasJava, hasKcat, kafkaSh } from './support/peer-tools.js';

let broker: Embedded;
const run = Date.now().toString(36);

beforeAll(async () => {
  broker = await startEmbedded();
});

afterAll(async () => {
  await broker?.close();
});

async function kcat(args: string[], input = ''): Promise<string> {
  const r = await exec('kcat', ['-b', broker.brokers, ...args], input);
  expect(r.code, `kcat ${args.join(' ')} failed: ${r.err}`).toBe(0);
  return r.out;
}

async function tool(name: string, args: string[], input = ''): Promise<string> {
  const r = await exec(kafkaSh, ['tool', name, '--bootstrap-server', broker.brokers, ...args], input);
  expect(r.code, `${name} ${args.join(' ')} failed: ${r.err}`).toBe(0);
  return r.out;
}

describe.skipIf(!hasKcat)('kcat (librdkafka)', () => {
  const t = `kcat-${run}`;
  const lines = Array.from({ length: 30 }, (_, i) => `key${i}:value ${i} ${'x'.repeat(40)}`);

  it('produces with and without gzip (the topic is created by Metadata auto-creation)', async () => {
    await kcat(['-P', '-t', t, '-K:'], `${lines.slice(0, 15).join('\n')}\n`);
    await kcat(['-P', '-t', t, '-K:', '-z', 'gzip'], `${lines.slice(15).join('\n')}\n`);
  });

  it('lists the broker and the topic', async () => {
    const out = await kcat(['-L', '-t', t]);
    expect(out).toContain(`broker 1 at ${broker.brokers}`);
    expect(out).toContain(`topic "${t}" with 1 partitions`);
  });

  it('consumes from the beginning', async () => {
    const out = await kcat(['-C', '-t', t, '-o', 'beginning', '-e', '-f', '%k:%s\n']);
    expect(out.trim().split('\n')).toEqual(lines);
  });

  it('consumes from an offset and from a timestamp', async () => {
    const fromOffset = await kcat(['-C', '-t', t, '-o', '28', '-e', '-f', '%o\n']);
    expect(fromOffset.trim().split('\n')).toEqual(['28', '29']);
    const fromFuture = await kcat(['-C', '-t', t, '-o', `s@${Date.now() + 3_600_000}`, '-e', '-f', '%o\n']);
    expect(fromFuture.trim(), 'a timestamp after every record starts at the end').toBe('');
    const fromPast = await kcat(['-C', '-t', t, '-o', 's@1000', '-e', '-f', '%o\n']);
    expect(fromPast.trim().split('\n').length).toBe(30);
  });
});

describe.skipIf(!hasJava)("Kafka's Java tools", () => {
  const t = `java-${run}`;

  it('kafka-topics creates, lists and describes', async () => {
    expect(await tool('topics', ['--create', '--topic', t, '--partitions', '2'])).toContain(
      `Created topic ${t}.`,
    );
    expect((await tool('topics', ['--list'])).split('\n')).toContain(t);
    const described = await tool('topics', ['--describe', '--topic', t]);
    expect(described).toContain('PartitionCount: 2');
    expect(described).toMatch(/Partition: 1\s+Leader: 1\s+Replicas: 1\s+Isr: 1/);
  });

  it('kafka-configs alters a topic config (IncrementalAlterConfigs) and describes it', async () => {
    const entity = ['--entity-type', 'topics', '--entity-name', t];
    await tool('configs', ['--alter', ...entity, '--add-config', 'retention.ms=60000']);
    expect(await tool('configs', ['--describe', ...entity])).toMatch(/retention\.ms=60000/);
  });

  it('console-producer writes and console-consumer reads them back', async () => {
    await tool(
      'console-producer',
      ['--topic', t, '--property', 'parse.key=true', '--property', 'key.separator=:'],
      'a:1\na:2\na:3\n',
    );
    // All three share key "a", so they land in one partition; read both from the start.
    const reads = await Promise.all(
      ['0', '1'].map((p) =>
        exec(kafkaSh, [
          'tool',
          'console-consumer',
          '--bootstrap-server',
          broker.brokers,
          '--topic',
          t,
          '--partition',
          p,
          '--offset',
          'earliest',
          '--timeout-ms',
          '4000',
        ]),
      ),
    );
    const values = reads.flatMap((r) => r.out.split('\n').filter((l) => l !== ''));
    expect(values).toEqual(['1', '2', '3']);
  });
});
