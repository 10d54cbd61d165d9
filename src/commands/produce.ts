import { existsSync } from 'node:fs';
// The narrow entry points: '@oclif/core' itself also checks the Node version with semver (47 modules).
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand, targetFlags } from '../lib/cli/base-command.js';
import { usageError } from '../lib/cli/errors.js';
import { type ProduceSummary, parseAcks, produceRecords } from '../lib/kafka/produce.js';
import { parseHeaderFlags } from '../lib/records/filter.js';
import { inputChunks } from '../lib/records/input.js';
import { Progress } from '../lib/render/progress.js';
import { output } from '../lib/render/output.js';
import { renderTable } from '../lib/render/table.js';

export interface ProduceResult extends ProduceSummary {
  topic: string;
}

export default class Produce extends BaseCommand<ProduceResult> {
  static override summary = 'Send records to a topic from arguments, stdin lines or a file.';
  static override description = `Each line (or argument) is one record. With --key-separator a line "key<sep>value" is split into key and value.
--input jsonl reads exactly what \`tail --output jsonl\` writes (key, value, headers, partition, timestamp; binary as {"base64": ...}), so
  eventbench tail orders --until end --output jsonl | eventbench produce orders-copy --input jsonl
copies a topic record for record, headers included.`;
  static override strict = false;
  static override examples = [
    '<%= config.bin %> produce orders "hello" "world"',
    'seq 1000 | <%= config.bin %> produce numbers --key-separator ,',
    '<%= config.bin %> produce orders --file events.txt --header source=import --acks all --compression gzip',
    '<%= config.bin %> tail orders --until end --output jsonl | <%= config.bin %> produce orders-copy --input jsonl',
  ];
  static override args = {
    topic: Args.string({ ignoreStdin: true, required: true, description: 'Topic to send to' }),
    value: Args.string({
      ignoreStdin: true,
      description: 'Record values (several allowed); otherwise stdin or --file',
    }),
  };
  static override flags = {
    ...targetFlags,
    file: Flags.string({ summary: 'Read records from this file instead of stdin.' }),
    input: Flags.string({ summary: 'Input format.', options: ['text', 'jsonl'], default: 'text' }),
    key: Flags.string({ char: 'k', summary: 'Key for every record.' }),
    'key-separator': Flags.string({
      summary: 'Split each line into key and value at the first occurrence of this string.',
    }),
    header: Flags.string({ char: 'H', summary: 'Header k=v on every record (repeatable).', multiple: true }),
    partition: Flags.integer({
      char: 'p',
      summary: 'Send every record to this partition (default: by key).',
      min: 0,
    }),
    acks: Flags.string({
      summary: 'all (-1): every replica has it (as an idempotent producer); 1: the leader; 0: do not wait.',
      default: 'all',
    }),
    compression: Flags.string({ summary: 'Compress batches.', options: ['none', 'gzip'], default: 'none' }),
    'batch-size': Flags.integer({
      summary: 'Records per produce request (a request is also cut at about 1 MB).',
      default: 10_000,
      min: 1,
    }),
  };

  async run(): Promise<ProduceResult> {
    const { args, argv, flags } = await this.parse(Produce);
    const values = (argv as string[]).slice(1);
    const acks = parseAcks(flags.acks);
    if (flags.file && values.length) throw usageError('give values as arguments or --file, not both');
    if (flags.file && !existsSync(flags.file)) throw usageError(`--file ${flags.file}: no such file`);
    if (!flags.file && !values.length && process.stdin.isTTY) {
      throw usageError(
        'no records to send',
        'give values as arguments, pipe lines into stdin, or use --file',
      );
    }
    const headers = parseHeaderFlags(flags.header);
    const session = await this.session(flags);
    const progress = new Progress(`producing to ${args.topic}`);
    const records = inputChunks({ values, file: flags.file }, flags.input as 'text' | 'jsonl', {
      key: flags.key,
      keySeparator: flags['key-separator'],
      headers,
    });
    const summary = await produceRecords(session, records, {
      topic: args.topic,
      partition: flags.partition,
      useRecordPartition: flags.input === 'jsonl' && flags.partition === undefined,
      acks,
      compression: flags.compression as 'none' | 'gzip',
      batchSize: flags['batch-size'],
      onProgress: (n) => progress.update(n),
    });
    progress.done();
    if (!this.jsonEnabled()) {
      const out = output();
      const rate =
        summary.elapsedMs > 0 ? Math.round((summary.count / summary.elapsedMs) * 1000) : summary.count;
      out.line(
        renderTable(
          ['partition', 'records', 'first offset', 'last offset'],
          summary.partitions.map((p) => [p.partition, p.count, p.firstOffset, p.lastOffset]),
          { title: `sent ${summary.count} records to ${args.topic} in ${summary.elapsedMs} ms (${rate}/s)` },
        ),
      );
    }
    return { topic: args.topic, ...summary };
  }
}
