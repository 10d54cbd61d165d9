// kafkajs workloads for bench/broker-vs-kafka.sh, run against one broker:
//   tsx bench/lib/kafkajs-load.ts BROKERS throughput N   → produce N ~100 B records, then consume them
//   tsx bench/lib/kafkajs-load.ts BROKERS latency N      → N single-record acks=all round trips
//   tsx bench/lib/kafkajs-load.ts BROKERS fill TOPIC N   → N records into 1 partition, timestamp = base + offset
//   tsx bench/lib/kafkajs-load.ts BROKERS offsets TOPIC  → ListOffsets-by-timestamp timings
// Prints one JSON line.
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const [brokers = '127.0.0.1:9192', mode = 'throughput', arg = '200000'] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const value = Buffer.from('x'.repeat(100));

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function throughput(n: number) {
  const topic = `bench-kjs-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const batch = 1000;
  let t = performance.now();
  for (let i = 0; i < n; i += batch) {
    const messages = Array.from({ length: Math.min(batch, n - i) }, (_, j) => ({
      key: String(i + j),
      value,
    }));
    await producer.send({ topic, acks: -1, messages });
  }
  const produceMs = performance.now() - t;
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `bench-${Date.now()}`, maxBytes: 16 << 20 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  t = performance.now();
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch: b }) => {
        seen += b.messages.length;
        if (seen >= n) resolve();
      },
    });
  });
  const consumeMs = performance.now() - t;
  await consumer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return { produceRps: Math.round(n / (produceMs / 1000)), consumeRps: Math.round(n / (consumeMs / 1000)) };
}

async function latency(n: number) {
  const topic = `bench-lat-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  const times: number[] = [];
  for (let i = 0; i < n + 50; i++) {
    const t = performance.now();
    await producer.send({ topic, acks: -1, messages: [{ value }] });
    if (i >= 50) times.push(performance.now() - t); // the first 50 warm up connections and JIT
  }
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  times.sort((a, b) => a - b);
  return { p50Ms: +pct(times, 50).toFixed(2), p99Ms: +pct(times, 99).toFixed(2) };
}

async function offsets(topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  const [p] = await admin.fetchTopicOffsets(topic);
  const times: number[] = [];
  // Timestamps were written as base + offset ms (see the shell script); ask for points across the log.
  const base = Number(process.env.BENCH_TS_BASE);
  const high = Number(p?.high ?? 0);
  for (let i = 0; i < 50; i++) {
    const want = Math.floor((high * (i + 0.5)) / 50);
    const t = performance.now();
    const r = await admin.fetchTopicOffsetsByTimestamp(topic, base + want);
    times.push(performance.now() - t);
    const got = Number(r[0]?.offset);
    if (got !== want) throw new Error(`timestamp lookup: got offset ${got}, want ${want}`);
  }
  await admin.disconnect();
  times.sort((a, b) => a - b);
  return { records: high, p50Ms: +pct(times, 50).toFixed(2), p99Ms: +pct(times, 99).toFixed(2) };
}

async function fill(topic: string, n: number) {
  const { KafkaSession } = await import('../../src/lib/kafka/client.js');
  const { produceRecords } = await import('../../src/lib/kafka/produce.js');
  const session = await KafkaSession.open(
    { source: 'flag', brokers: brokers.split(','), clientId: 'bench-fill', describe: brokers },
    { connectTimeoutMs: 10_000 },
  );
  const admin = await session.admin();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const base = Number(process.env.BENCH_TS_BASE);
  const records = (function* () {
    for (let i = 0; i < n; i++) yield { key: null, value, headers: {}, timestamp: base + i };
  })();
  const t = performance.now();
  await produceRecords(session, records, {
    topic,
    partition: 0,
    acks: 1,
    compression: 'none',
    batchSize: 5000,
  });
  const ms = performance.now() - t;
  await session.close();
  return { records: n, fillRps: Math.round(n / (ms / 1000)) };
}

const out =
  mode === 'fill'
    ? await fill(arg, Number(process.argv[5] ?? 10_000_000))
    : mode === 'throughput'
      ? await throughput(Number(arg))
      : mode === 'latency'
        ? await latency(Number(arg))
        : await offsets(arg);
console.log(JSON.stringify(out));
