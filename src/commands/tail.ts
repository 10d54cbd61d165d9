import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../lib/cli/base-command.js';
import { asUsageError, usageError } from '../lib/cli/errors.js';
import { interruptible } from '../lib/cli/interrupt.js';
import { tailRecords } from '../lib/kafka/tail.js';
import { type Position, parsePosition } from '../lib/positions/index.js';
import { buildFilter } from '../lib/records/filter.js';
import { type JsonlObject, toJsonlObject } from '../lib/records/jsonl.js';
import { output } from '../lib/render/output.js';
import {
  type RecordOutput,
  formatRenderer,
  rawChunk,
  recordOutputs,
  recordRenderer,
} from '../lib/render/records.js';
import { writeChunk } from '../lib/render/stream.js';

export interface TailResult {
  count: number;
  records: JsonlObject[];
}

function positionFlag(text: string, flag: string, allowEnd: boolean): Position {
  try {
    return parsePosition(text, { allowEnd });
  } catch (err) {
    throw asUsageError(err, flag);
  }
}

export default class Tail extends BaseCommand<TailResult> {
  static override summary = 'Print records from topics, from any position, following new ones.';
  static override description = `Positions (--from, --until) use one grammar (docs/positions.md):
  earliest | latest | <offset> | +N (N after log start) | -N (N before the end, per partition)
  @<time> | @-<duration> | a per-partition map 0=100,1=@2026-11-20T10:00Z
Times: epoch ms or s, ISO 8601 dates and datetimes; a time with no zone is UTC. Durations: 15m, 1h30m, PT5M.
--until stops before that position; "end" means the end offsets when the command started. Without --until, tail follows.
--from defaults to earliest when --until is given, else latest (like tail -f).
Without --group, tail reads partitions directly and leaves no consumer group or offsets behind.`;
  static override strict = false;
  static override examples = [
    '<%= config.bin %> tail orders',
    '<%= config.bin %> tail orders --from @-15m --until end --output jsonl > orders.jsonl',
    '<%= config.bin %> tail orders --from -5 --until end',
    "<%= config.bin %> tail orders --from '0=100,1=@2026-11-20T10:00Z' --max 10",
    "<%= config.bin %> tail orders --where status=PLACED --format '%T %p:%o %k %v'",
    '<%= config.bin %> tail orders --group billing --from earliest',
  ];
  static override args = {
    topic: Args.string({
      ignoreStdin: true,
      required: true,
      description: 'Topics to read (several allowed)',
    }),
  };
  static override flags = {
    ...targetFlags,
    from: Flags.string({ char: 'f', summary: 'Where to start (see positions above).' }),
    until: Flags.string({ char: 'u', summary: 'Where to stop (exclusive), or "end".' }),
    max: Flags.integer({ char: 'n', summary: 'Stop after this many records (after filters).', min: 1 }),
    partition: Flags.string({ char: 'p', summary: 'Only these partitions, e.g. 0,2.' }),
    group: Flags.string({ char: 'g', summary: 'Consume as this consumer group and commit offsets.' }),
    output: Flags.string({
      char: 'o',
      summary: 'Output format; default pretty on a terminal, jsonl in a pipe.',
      options: [...recordOutputs],
    }),
    format: Flags.string({
      summary:
        'Format string: %t topic %p partition %o offset %k key %v value %h headers %T time %s epoch-ms.',
    }),
    key: Flags.string({ char: 'k', summary: 'Only records with this key.' }),
    header: Flags.string({
      char: 'H',
      summary: 'Only records with header k=v (repeatable).',
      multiple: true,
    }),
    grep: Flags.string({ summary: 'Only records whose key or value matches this regular expression.' }),
    where: Flags.string({
      summary: 'Only JSON values whose dotted path equals the value, e.g. customer.id=42 (repeatable).',
      multiple: true,
    }),
  };

  async run(): Promise<TailResult> {
    const { argv, flags } = await this.parse(Tail);
    const topics = argv as string[];
    const until = flags.until !== undefined ? positionFlag(flags.until, '--until', true) : undefined;
    const from = positionFlag(flags.from ?? (until ? 'earliest' : 'latest'), '--from', false);
    const partitions = flags.partition?.split(',').map((p) => {
      if (!/^\d+$/.test(p.trim()))
        throw usageError(
          `--partition "${flags.partition}" is not a list of partition numbers`,
          'e.g. --partition 0,2',
        );
      return Number(p);
    });
    if (flags.format && flags.output) throw usageError('give --output or --format, not both');
    const filter = buildFilter({
      key: flags.key,
      headers: flags.header,
      grep: flags.grep,
      where: flags.where,
    });
    const out = output();
    const kind: RecordOutput =
      (flags.output as RecordOutput | undefined) ?? (out.stdoutIsTTY ? 'pretty' : 'jsonl');
    const render = flags.format ? formatRenderer(flags.format) : recordRenderer(kind, topics.length > 1);
    const raw = !flags.format && kind === 'raw';
    const json = this.jsonEnabled();

    const interrupt = interruptible();
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') interrupt.stop(); // the reader went away (e.g. `| head`): stop quietly
    });

    const session = await this.session(flags);
    const collected: JsonlObject[] = [];
    let count = 0;
    try {
      for await (const batch of tailRecords(session, {
        topics,
        from,
        fromExplicit: flags.from !== undefined,
        until,
        partitions,
        max: flags.max,
        filter,
        group: flags.group,
        signal: interrupt.signal,
        onWarning: (m) => out.warn(m),
      })) {
        count += batch.length;
        if (json) collected.push(...batch.map(toJsonlObject));
        else await writeChunk(raw ? rawChunk(batch) : batch.map(render).join('\n') + '\n');
        if (interrupt.signal.aborted) break;
      }
    } finally {
      interrupt.dispose();
    }
    return { count, records: collected };
  }
}
