import { expect } from 'vitest';
import type { Admin, IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { type CliResult, runCli } from '../../helpers/kafka.js';

/**
 * Small helpers shared by the foundation suites. Everything goes through the real CLI
 * (runCli spawns bin/run.js) or a real kafkajs client; nothing here knows which broker runs.
 */

/** The record shape `tail --output jsonl` writes and `--json` results carry. */
export interface JsonRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null | { base64: string };
  value: string | null | { base64: string };
  headers: Record<string, string | null | { base64: string } | (string | null | { base64: string })[]>;
}

/** Shows the command and both streams, so a failed expectation explains itself. */
export function describeRun(args: string[], r: CliResult): string {
  return `eventbench ${args.join(' ')}\n  exit ${r.code}\n  stdout: ${r.stdout.slice(0, 2000)}\n  stderr: ${r.stderr.slice(0, 2000)}`;
}

/** Runs the CLI and expects exit 0. */
export async function cli(args: string[], opts: Parameters<typeof runCli>[1] = {}): Promise<CliResult> {
  const r = await runCli(args, opts);
  expect(r.code, `got exit ${r.code}, want 0\n${describeRun(args, r)}`).toBe(0);
  return r;
}

/** Runs the CLI with --json, expects exit 0 and returns the parsed result. */
export async function cliJson<T>(args: string[], opts: Parameters<typeof runCli>[1] = {}): Promise<T> {
  const r = await cli([...args, '--json'], opts);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`got stdout that is not JSON, want a JSON result\n${describeRun(args, r)}`);
  }
}

/** Runs the CLI with --json expecting failure; returns the exit code and the {error} object. */
export async function cliJsonError(
  args: string[],
  wantCode: number,
  opts: Parameters<typeof runCli>[1] = {},
): Promise<{ message: string; hint: string | null; exitCode: number }> {
  const all = [...args, '--json'];
  const r = await runCli(all, opts);
  expect(r.code, `got exit ${r.code}, want ${wantCode}\n${describeRun(all, r)}`).toBe(wantCode);
  let parsed: { error?: { message: string; hint: string | null; exitCode: number } };
  try {
    parsed = JSON.parse(r.stdout) as typeof parsed;
  } catch {
    throw new Error(`got stdout that is not JSON, want {error:{...}}\n${describeRun(all, r)}`);
  }
  expect(parsed.error, `got ${r.stdout}, want an {error} object`).toBeDefined();
  expect(parsed.error!.exitCode).toBe(wantCode);
  return parsed.error!;
}

export function parseJsonl(stdout: string): JsonRecord[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as JsonRecord;
      } catch {
        throw new Error(`got line ${i + 1} that is not JSON: ${l}`);
      }
    });
}

/** `tail TOPIC --output jsonl ...extra`; --until end unless the caller gives --until or --max. */
export async function tailJsonl(topic: string, extra: string[] = []): Promise<JsonRecord[]> {
  const bounded = extra.some((a) => a === '--until' || a === '--max' || a === '-u' || a === '-n');
  const r = await cli(['tail', topic, '--output', 'jsonl', ...(bounded ? [] : ['--until', 'end']), ...extra]);
  return parseJsonl(r.stdout);
}

/** Partition → offsets read, for compact "got/want" comparisons. */
export function offsetsByPartition(
  records: { partition: number; offset: number }[],
): Record<number, number[]> {
  const out: Record<number, number[]> = {};
  for (const r of records) (out[r.partition] ??= []).push(r.offset);
  for (const list of Object.values(out)) list.sort((a, b) => a - b);
  return out;
}

/** Records grouped per partition and sorted by offset (tail interleaves partitions freely). */
export function byPartition<T extends { partition: number; offset: number }>(
  records: T[],
): Record<number, T[]> {
  const out: Record<number, T[]> = {};
  for (const r of records) (out[r.partition] ??= []).push(r);
  for (const list of Object.values(out)) list.sort((a, b) => a.offset - b.offset);
  return out;
}

let creating: Promise<unknown> = Promise.resolve();

/**
 * One at a time: kafkajs's createTopics with waitForLeaders fails with UNKNOWN_TOPIC_OR_PARTITION
 * when another createTopics on the same admin runs at once (concurrent tests).
 */
export async function createTopic(admin: Admin, topic: string, partitions: number): Promise<void> {
  const run = creating.then(() =>
    admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    }),
  );
  creating = run.catch(() => undefined);
  const ok = await run;
  expect(ok, `got createTopics ${ok} for ${topic}, want true (a fresh unique name)`).toBe(true);
}

/** A producer whose partitioner is never used (every test message names its partition). */
export async function connectedProducer(k: Kafka): Promise<Producer> {
  const { Partitioners } = await import('kafkajs');
  const p = k.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await p.connect();
  return p;
}

/** Sends with acks=all, one request per call, in order. */
export async function send(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  await producer.send({ topic, acks: -1, messages });
}

/** kafkajs header values in the JSON record shape (a header value's text, or base64 when binary). */
export function headerJson(h: IHeaders | undefined): JsonRecord['headers'] {
  const out: JsonRecord['headers'] = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    const one = (x: Buffer | string | null | undefined) =>
      x === null || x === undefined ? null : payloadJson(Buffer.isBuffer(x) ? x : Buffer.from(x));
    out[k] = Array.isArray(v) ? v.map((x) => one(x as Buffer | string)) : one(v as Buffer | string);
  }
  return out;
}

export function payloadJson(b: Buffer | null): JsonRecord['key'] {
  if (b === null) return null;
  const text = b.toString('utf8');
  return Buffer.from(text, 'utf8').equals(b) ? text : { base64: b.toString('base64') };
}

/** Polls (bounded) until `check` holds; returns whether it did. Not a timing assertion. */
export async function eventually(check: () => Promise<boolean>, tries = 50, everyMs = 200): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

/**
 * admin.deleteTopicRecords looks up leaders in kafkajs's metadata cache without refreshing it, so
 * for a topic the admin has not seen it fails with KafkaJSBrokerNotFound; fetch its metadata first.
 */
export async function deleteRecordsBefore(
  admin: Admin,
  topic: string,
  partitions: { partition: number; offset: number }[],
): Promise<void> {
  await admin.fetchTopicMetadata({ topics: [topic] });
  await admin.deleteTopicRecords({
    topic,
    partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })),
  });
}
