import { parentPort, workerData } from 'node:worker_threads';
import { type ResolvedOptions, SummaryCounter, generateResolved, partitionForKey } from '../events/index.js';
import { RecordBatchBuilder } from './wire/record-batch-encoder.js';
import { MAX_REQUEST_BYTES } from './wire/request-pipeline.js';

/**
 * `publish --rate max` off the main thread: this worker generates the stream, counts it and
 * encodes it into record batches (one per topic and partition, cut at MAX_REQUEST_BYTES over all
 * topics, as produceRecords cuts them), and hands each round of finished batches to the main
 * thread, which only sends them. Generation and encoding keep one core busy; sending, kafkajs and
 * a local broker use the other. Batches move without a copy (transferred ArrayBuffers).
 *
 * Flow control: `ctl[0]` counts the rounds the main thread has finished sending; we stay at most
 * `ahead` rounds in front of it. `ctl[1]` set to 1 asks us to stop (SIGINT).
 */

export interface WorkerInput {
  opts: ResolvedOptions;
  /** Partition count per topic (every generated record is keyed: partitionForKey places it). */
  partitions: Record<string, number>;
  ahead: number;
  ctl: SharedArrayBuffer;
}

export interface WorkerRequest {
  topic: string;
  batches: { partition: number; count: number; batch: Uint8Array }[];
}

export type WorkerMessage =
  | { kind: 'round'; requests: WorkerRequest[]; records: number }
  | { kind: 'done'; summary: ReturnType<SummaryCounter['result']> };

function run(input: WorkerInput, post: (m: WorkerMessage, transfer: ArrayBuffer[]) => void): void {
  const ctl = new Int32Array(input.ctl);
  const counter = new SummaryCounter();
  const sizeHint = new Map<string, number>();
  let round = new Map<string, Map<number, RecordBatchBuilder>>();
  let bytes = 0;
  let records = 0;
  let posted = 0;

  const flush = () => {
    const requests: WorkerRequest[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const [topic, builders] of round) {
      const batches: WorkerRequest['batches'] = [];
      for (const [partition, b] of builders) {
        sizeHint.set(`${topic}:${partition}`, b.size);
        const batch = b.finishUncompressed();
        transfer.push(batch.buffer as ArrayBuffer);
        batches.push({ partition, count: b.count, batch });
      }
      requests.push({ topic, batches });
    }
    post({ kind: 'round', requests, records }, transfer);
    round = new Map();
    bytes = 0;
    records = 0;
    posted++;
    for (;;) {
      const sent = Atomics.load(ctl, 0);
      if (posted - sent <= input.ahead || Atomics.load(ctl, 1) !== 0) break;
      Atomics.wait(ctl, 0, sent, 1000);
    }
  };

  let builders: Map<number, RecordBatchBuilder> | undefined;
  let lastTopic = '';
  let partitions = 1;
  for (const r of generateResolved(input.opts)) {
    if (r.topic !== lastTopic || builders === undefined) {
      lastTopic = r.topic;
      partitions = input.partitions[r.topic] ?? 1;
      builders = round.get(r.topic);
      if (!builders) round.set(r.topic, (builders = new Map()));
    }
    const partition = partitionForKey(r.key, partitions);
    counter.add(r, partition);
    let b = builders.get(partition);
    if (b === undefined) {
      b = new RecordBatchBuilder(sizeHint.get(`${r.topic}:${partition}`));
      builders.set(partition, b);
    }
    const before = b.size;
    b.append(r, r.timestamp);
    bytes += b.size - before;
    records++;
    if (bytes >= MAX_REQUEST_BYTES) {
      flush();
      builders = undefined;
      if (Atomics.load(ctl, 1) !== 0) break;
    }
  }
  if (records > 0) flush();
  post({ kind: 'done', summary: counter.result() }, []);
}

if (parentPort) {
  const port = parentPort;
  run(workerData as WorkerInput, (m, transfer) => port.postMessage(m, transfer));
}
