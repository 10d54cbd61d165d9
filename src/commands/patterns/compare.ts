import { randomBytes } from 'node:crypto';
import { Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { interruptible } from '../../lib/cli/interrupt.js';
import { comparePatterns, type CompareResult } from '../../lib/projections/compare.js';
import { topicsNote } from '../../lib/projections/publish-data.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export type PatternsCompareResult = CompareResult;

export default class PatternsCompare extends BaseCommand<PatternsCompareResult> {
  static override summary =
    'Publish the same checkout flow in all three shapes, replay each pattern, compare them.';
  static override description = `One table: events read, bytes on the wire, callbacks to the source (and the bytes they
fetched), duplicated data stored, whether the state stays available when the source is down, and
whether the state at an earlier time T can be rebuilt. The stream includes the newer terms-agreed
event: the legacy sourcing projector skips and counts it, the current one uses it.
Topics are created under a new prefix (compare-<random>) unless --prefix is given; the topics it
created are deleted at the end, also when it fails or is interrupted, unless --keep-topics is given.`;
  static override examples = [
    '<%= config.bin %> patterns compare',
    '<%= config.bin %> patterns compare --count 5000 --json',
  ];
  static override flags = {
    ...targetFlags,
    count: Flags.integer({ char: 'n', summary: 'Events per shape.', default: 3000, min: 1, max: 1_000_000 }),
    seed: Flags.string({ summary: 'Seed of the journeys.', default: 'compare' }),
    prefix: Flags.string({ summary: 'Topic prefix (default: a new compare-<random>).' }),
    'keep-topics': Flags.boolean({
      summary:
        'Leave the topics it created on the broker (by default they are deleted, also on failure or Ctrl-C).',
    }),
  };

  async run(): Promise<PatternsCompareResult> {
    const { flags } = await this.parse(PatternsCompare);
    const out = output();
    const human = !this.jsonEnabled();
    const session = await this.session(flags);
    const interrupt = interruptible();
    const r = await comparePatterns(session, {
      prefix: flags.prefix ?? `compare-${randomBytes(3).toString('hex')}`,
      seed: flags.seed,
      count: flags.count,
      keepTopics: flags['keep-topics'],
      signal: interrupt.signal,
      onPhase: (t) => human && out.info(t),
      onWarning: (t) => out.warn(t),
    }).finally(() => {
      interrupt.dispose();
    });
    if (human) {
      const n = (x: number) => x.toLocaleString('en-US');
      out.line(
        renderTable(
          [
            'PATTERN',
            'PROJECTION',
            'EVENTS',
            'BYTES ON WIRE',
            'CALLBACKS',
            'CALLBACK BYTES',
            'DUPLICATED BYTES',
            'SOURCE DOWN',
            'REBUILD AT T',
            'SKIPPED',
          ],
          r.rows.map((x) => [
            x.pattern,
            x.projection,
            n(x.events),
            n(x.bytesOnWire),
            n(x.callbacks),
            n(x.callbackBytes),
            n(x.duplicatedBytes),
            x.sourceDownNote,
            x.rebuildNote,
            Object.entries(x.skipped)
              .map(([t, c]) => `${t} ${c}`)
              .join(', ') || '-',
          ]),
        ),
      );
      out.info(topicsNote(r.topicsDeleted, r.topicsLeft));
    }
    return r;
  }
}
