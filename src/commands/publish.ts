import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../lib/cli/base-command.js';
import { parseDurationFlag } from '../lib/cli/flags.js';
import { asUsageError, usageError } from '../lib/cli/errors.js';
import {
  type GenerationSummary,
  type ResolvedOptions,
  chooseSeed,
  DEFAULT_RATE_PER_SEC,
  DOMAINS,
  endingAt,
  EXTENSIONS,
  generateResolved,
  MAX_RATE_PER_SEC,
  resolveOptions,
  SHAPES,
} from '../lib/events/index.js';
import { parseAcks } from '../lib/kafka/produce.js';
import { eventOptionError, type PublishedTopic, publishEvents } from '../lib/kafka/publish.js';
import { parseTime } from '../lib/positions/index.js';
import { toJsonl } from '../lib/records/jsonl.js';
import { output } from '../lib/render/output.js';
import { Progress } from '../lib/render/progress.js';
import { writeChunk } from '../lib/render/stream.js';
import { renderTable } from '../lib/render/table.js';

export interface PublishCommandResult {
  seed: string;
  startTime: number;
  shape: string;
  dryRun: boolean;
  topics: PublishedTopic[];
  summary: GenerationSummary;
  elapsedMs: number;
}

export default class Publish extends BaseCommand<PublishCommandResult> {
  static override summary = 'Publish realistic example events as consistent, seeded lifecycles.';
  static override description = `Domains: ${DOMAINS.join(', ')} (or all). One user registers, logs in, checks out, gets the pizza, the email and a video, with the same ids throughout; every entity's events come in causal order, keyed by its id (so they share a partition, in order).
Shapes of the same business fact: notification (thin: ids and where to look), state (event-carried state transfer: the full entity every time), sourcing (fine-grained domain events).
Topics follow eb.<domain>.<shape> (created with 3 partitions when missing) unless --topic names one.
The same --seed and --start-time give byte-identical records. Without --seed one is chosen and printed.
Time: the simulated clock starts at --start-time and advances at --rate events per second; --rate max sends as fast as possible while the clock still advances at ${DEFAULT_RATE_PER_SEC}/s. Without --start-time a paced run starts now, and a run at full speed starts early enough to end about now (Kafka refuses timestamps more than an hour ahead).
Headers follow the CloudEvents Kafka binding (ce_id, ce_type, ce_source, ce_time, ce_subject, content-type) plus correlation/causation ids; see docs/events.md.`;
  static override strict = false;
  static override examples = [
    '<%= config.bin %> publish checkout --count 1000 --seed 42',
    '<%= config.bin %> publish all --entities 50 --shape state',
    '<%= config.bin %> publish checkout --with terms-agreed --seed 42 --start-time 2026-11-20T10:00Z',
    '<%= config.bin %> publish delivery --duration 10m --rate 20          # paced, 20 events/s',
    '<%= config.bin %> publish checkout --count 5 --seed 7 --dry-run      # jsonl, as `tail --output jsonl` writes',
    '<%= config.bin %> publish email --count 500 --duplicates 0.05 --out-of-order 0.02',
  ];
  static override args = {
    domain: Args.string({
      ignoreStdin: true,
      required: true,
      description: `Domains: ${DOMAINS.join(', ')}, or all`,
    }),
  };
  static override flags = {
    ...targetFlags,
    count: Flags.integer({ char: 'n', summary: 'Stop after this many events.' }),
    entities: Flags.integer({ summary: 'Stop after this many entities began (each runs to its end).' }),
    duration: Flags.string({ summary: 'Stop after this much simulated time, e.g. 10m.' }),
    rate: Flags.string({
      summary: `Events per second (simulated clock and sending pace, max ${MAX_RATE_PER_SEC}), or "max".`,
      default: 'max',
    }),
    seed: Flags.string({ summary: 'Seed for byte-identical runs (printed when chosen for you).' }),
    'start-time': Flags.string({
      summary: 'Simulated clock origin: ISO time or epoch (default: now, printed).',
      description:
        "A broker deletes records older than a topic's retention.ms (7 days by default) within minutes. So when the events start further back than that, a topic this publish creates gets a retention.ms that keeps them a week more; an existing topic keeps its own setting, with a warning.",
    }),
    shape: Flags.string({ summary: 'Event shape.', options: [...SHAPES], default: 'sourcing' }),
    with: Flags.string({ summary: `Extra event types to insert: ${EXTENSIONS.join(', ')}.`, multiple: true }),
    topic: Flags.string({
      char: 't',
      summary: 'Send everything to this topic instead of eb.<domain>.<shape>.',
    }),
    duplicates: Flags.string({
      summary: 'Probability (0..1) of sending an event twice (header eb_fault=duplicate).',
    }),
    'out-of-order': Flags.string({
      summary: 'Probability (0..1) of swapping an event with the next one (eb_fault=out-of-order).',
    }),
    late: Flags.string({ summary: 'Probability (0..1) of an event arriving late (eb_fault=late).' }),
    acks: Flags.string({ summary: 'all, 1 or 0.', default: 'all' }),
    'dry-run': Flags.boolean({ summary: 'Print the records as jsonl instead of sending them.' }),
  };

  async run(): Promise<PublishCommandResult> {
    const { argv, flags } = await this.parse(Publish);
    if (flags.count === undefined && flags.entities === undefined && flags.duration === undefined) {
      throw usageError('say how much to publish', 'give --count N, --entities N or --duration 10m');
    }
    const seedGiven = flags.seed !== undefined;
    const rate = flags.rate === 'max' ? undefined : Number(flags.rate);
    const durationMs =
      flags.duration !== undefined ? parseDurationFlag(flags.duration, '--duration') : undefined;
    const startTime =
      flags['start-time'] !== undefined
        ? timeFlag(flags['start-time'])
        : Math.floor(Date.now() / 1000) * 1000;
    if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
      throw usageError(
        `--rate "${flags.rate}" is not a rate`,
        `give events per second (0 < N <= ${MAX_RATE_PER_SEC}) or max`,
      );
    }
    let opts: ResolvedOptions;
    try {
      opts = resolveOptions({
        domains: argv as string[],
        seed: flags.seed ?? chooseSeed(),
        shape: flags.shape,
        count: flags.count,
        entities: flags.entities,
        durationMs,
        startTime,
        ratePerSec: rate,
        with: flags.with,
        faults: {
          duplicates: prob(flags.duplicates, '--duplicates'),
          outOfOrder: prob(flags['out-of-order'], '--out-of-order'),
          late: prob(flags.late, '--late'),
        },
        topic: flags.topic,
      });
    } catch (err) {
      eventOptionError(err);
    }
    // Without --start-time, a paced run (--rate N) starts now and lives in real time. A run at full
    // speed compresses simulated hours into seconds, so its clock starts far enough back that the
    // stream ends a minute ago: Kafka 4 refuses timestamps over an hour ahead
    // (message.timestamp.after.max.ms), and `tail --from @-1h` then finds the newest events.
    if (flags['start-time'] === undefined && rate === undefined) opts = endingAt(opts, Date.now() - 60_000);
    const acks = parseAcks(flags.acks);
    const out = output();
    if (!seedGiven || flags['start-time'] === undefined) {
      out.info(
        `seed ${opts.seed}, start time ${new Date(opts.startTime).toISOString()} — repeat with --seed ${opts.seed} --start-time ${new Date(opts.startTime).toISOString()}`,
      );
    }
    if (flags['dry-run']) return this.dryRun(opts);

    const session = await this.session(flags);
    const progress = new Progress('publishing', opts.count);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    try {
      const res = await publishEvents(session, opts, {
        pacePerSec: rate,
        acks,
        onProgress: (n) => progress.update(n),
        onTopics: (topics) => retentionNotes(topics, opts.startTime),
        signal: abort.signal,
      });
      progress.done();
      if (!this.jsonEnabled()) this.renderSummary(res.summary, res.elapsedMs);
      return { seed: opts.seed, startTime: opts.startTime, shape: opts.shape, dryRun: false, ...res };
    } finally {
      process.off('SIGINT', stop);
    }
  }

  private async dryRun(opts: ResolvedOptions): Promise<PublishCommandResult> {
    const started = Date.now();
    const { SummaryCounter } = await import('../lib/events/index.js');
    const counter = new SummaryCounter();
    let chunk: string[] = [];
    for (const r of generateResolved(opts)) {
      counter.add(r);
      if (!this.jsonEnabled()) {
        chunk.push(toJsonl(r));
        if (chunk.length >= 1000) {
          await writeChunk(chunk.join('\n') + '\n');
          chunk = [];
        }
      }
    }
    if (chunk.length) await writeChunk(chunk.join('\n') + '\n');
    return {
      seed: opts.seed,
      startTime: opts.startTime,
      shape: opts.shape,
      dryRun: true,
      topics: [],
      summary: counter.result(),
      elapsedMs: Date.now() - started,
    };
  }

  private renderSummary(s: GenerationSummary, elapsedMs: number): void {
    const out = output();
    const rate = elapsedMs > 0 ? Math.round((s.records / elapsedMs) * 1000) : s.records;
    out.line(
      renderTable(
        ['event type', 'count'],
        s.byType.map((t) => [t.type, t.count]),
        { title: `published ${s.records} events (${s.bytes} bytes) in ${elapsedMs} ms (${rate}/s)` },
      ),
    );
    out.line(
      renderTable(
        ['topic', 'events', 'per partition'],
        s.byTopic.map((t) => [
          t.topic,
          t.count,
          t.partitions.map((p) => `${p.partition}:${p.count}`).join(' '),
        ]),
      ),
    );
    const faults = Object.entries(s.faults).filter(([, n]) => n > 0);
    if (faults.length)
      out.line(
        `injected faults (marked with header eb_fault): ${faults.map(([k, n]) => `${k} ${n}`).join(', ')}`,
      );
  }
}

function timeFlag(text: string): number {
  try {
    return parseTime(text);
  } catch (err) {
    throw asUsageError(err, '--start-time');
  }
}

function prob(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw usageError(`${flag} "${text}" is not a probability`, 'give a number from 0 to 1, e.g. 0.05');
  return n;
}

/** Says what publish did (or could not do) so that back-dated events outlive retention. */
function retentionNotes(topics: readonly PublishedTopic[], startTime: number): void {
  const out = output();
  const from = new Date(startTime).toISOString();
  for (const { topic, retention } of topics) {
    if (!retention) continue;
    const n = +(retention.ms / 86_400_000).toFixed(2);
    const days = `${n} day${n === 1 ? '' : 's'}`;
    if (retention.raised) {
      out.info(
        `${topic}: retention.ms set to ${retention.ms} (${days}) so that the events from ${from} are kept`,
      );
    } else {
      out.warn(
        `${topic} keeps records ${days} (retention.ms=${retention.ms}), but these events start at ${from}: the broker deletes the older ones at its next retention check; to keep them: eventbench topic config set ${topic} retention.ms=-1`,
      );
    }
  }
}
