import { Args, Flags } from '@oclif/core';
import { inspectPartitionFiles, type PartitionFileView } from '../../lib/broker/log/inspect-files.js';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { EbError } from '../../lib/cli/errors.js';
import { embeddedPaths, runningBroker } from '../../lib/embedded/manager.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export interface BrokerInspectResult {
  topic: string;
  dataDir: string;
  partitions: PartitionFileView[];
}

export default class BrokerInspect extends BaseCommand<BrokerInspectResult> {
  static override summary =
    "Show how a topic's log lies on disk: segments, index entries, log start and end.";
  static override description = `Each partition is a directory of segments. A segment is a file of record batches named by the offset of its first record, with a sparse offset index (.index) and time index (.timeindex) beside it. Retention deletes whole old segments; DeleteRecords moves the log start offset. Reads files only, so it is safe while the broker runs; index entry counts on disk can lag until the broker next flushes, rolls a segment or stops.`;
  static override examples = [
    '<%= config.bin %> broker inspect eb.checkout.sourcing',
    '<%= config.bin %> broker inspect orders --json',
  ];
  static override args = {
    topic: Args.string({ ignoreStdin: true, required: true, description: 'Topic name' }),
  };
  static override flags = {
    'data-dir': Flags.string({
      summary: "The embedded broker's data directory (default: the running broker's).",
    }),
  };

  async run(): Promise<BrokerInspectResult> {
    const { args, flags } = await this.parse(BrokerInspect);
    const paths = embeddedPaths();
    const dataDir = flags['data-dir'] ?? runningBroker(paths)?.dataDir ?? paths.dataDir;
    const partitions = inspectPartitionFiles(dataDir, args.topic);
    if (partitions.length === 0) {
      throw new EbError(`no log for topic "${args.topic}" in ${dataDir}`, {
        hint: 'inspect works on the embedded broker; list topics with `eventbench topic list`',
      });
    }
    if (!this.jsonEnabled()) {
      const out = output();
      for (const p of partitions) {
        out.line(
          renderTable(
            [
              'segment (base offset)',
              'next offset',
              'batches',
              'bytes',
              'max timestamp',
              '.index',
              '.timeindex',
            ],
            p.segments.map((s) => [
              s.baseOffset,
              s.nextOffset,
              s.batches,
              s.bytes,
              s.maxTimestamp >= 0 ? new Date(s.maxTimestamp).toISOString() : '-',
              s.offsetIndexEntries,
              s.timeIndexEntries,
            ]),
            {
              title: `${args.topic}-${p.partition}: log start ${p.logStartOffset}, log end ${p.logEndOffset}, ${p.bytes} bytes in ${p.segments.length} segment(s)`,
            },
          ),
        );
      }
    }
    return { topic: args.topic, dataDir, partitions };
  }
}
