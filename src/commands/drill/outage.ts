import { randomBytes } from 'node:crypto';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { EbError, ExitCode } from '../../lib/cli/errors.js';
import { parseDurationFlag } from '../../lib/cli/flags.js';
import { interruptible } from '../../lib/cli/interrupt.js';
import { outageDrill, type DrillResult } from '../../lib/projections/drill.js';
import { topicsNote } from '../../lib/projections/publish-data.js';
import { findProjection } from '../../lib/projections/registry.js';
import { output } from '../../lib/render/output.js';

export type DrillOutageResult = DrillResult;

export default class DrillOutage extends BaseCommand<DrillOutageResult> {
  static override summary = 'Stop a projection while events keep coming, resume, and prove nothing was lost.';
  static override description = `The drill publishes generated events into topics of its own (--prefix) at --rate events/s
the whole time. The projection follows live, then stops consuming for --for (its lag grows, shown
live), then resumes from its checkpoint and catches up. Finally its tables are compared with an
uninterrupted replay of the same events: they must be equal (exit 4 if not).
The topics it created are deleted at the end, also when it fails or is interrupted, unless
--keep-topics is given.
The lesson: with retention, an outage of a consumer only delays it; nothing is lost.`;
  static override examples = [
    '<%= config.bin %> drill outage sourcing --for 10s',
    '<%= config.bin %> drill outage state-transfer --for 5s --rate 500 --json',
  ];
  static override args = {
    projection: Args.string({ required: true, description: 'Projection name (see `projection list`)' }),
  };
  static override flags = {
    ...targetFlags,
    for: Flags.string({ summary: 'How long the projection is down, e.g. 10s.', default: '5s' }),
    warm: Flags.string({ summary: 'How long it follows live before the outage.', default: '2s' }),
    rate: Flags.integer({ summary: 'Events published per second.', default: 200, min: 1, max: 20_000 }),
    prefix: Flags.string({ summary: 'Topic prefix for the drill (default: a new drill-<random>).' }),
    seed: Flags.string({ summary: 'Seed of the generated events.', default: 'drill' }),
    'keep-topics': Flags.boolean({
      summary:
        'Leave the topics it created on the broker (by default they are deleted, also on failure or Ctrl-C).',
    }),
  };

  async run(): Promise<DrillOutageResult> {
    const { args, flags } = await this.parse(DrillOutage);
    const def = findProjection(args.projection);
    const outageMs = parseDurationFlag(flags.for, '--for');
    const warmMs = parseDurationFlag(flags.warm, '--warm');
    const prefix = flags.prefix ?? `drill-${randomBytes(3).toString('hex')}`;
    const out = output();
    const human = !this.jsonEnabled();
    const session = await this.session(flags);
    const interrupt = interruptible();
    const r = await outageDrill(session, def, {
      prefix,
      keepTopics: flags['keep-topics'],
      signal: interrupt.signal,
      onWarning: (t) => out.warn(t),
      outageMs,
      warmMs,
      ratePerSec: flags.rate,
      seed: flags.seed,
      onPhase: (t) => human && out.info(t),
      onLag: (lag, published) => {
        if (human && out.stderrIsTTY)
          process.stderr.write(`\r\x1b[2Klag ${lag.toLocaleString('en-US')} (published ${published})`);
        else if (human) out.info(`lag ${lag}`);
      },
    }).finally(() => {
      interrupt.dispose();
    });
    if (human) {
      if (out.stderrIsTTY) process.stderr.write('\r\x1b[2K');
      out.line(
        `${def.name}: down ${(r.outageMs / 1000).toFixed(1)} s, peak lag ${r.peakLag.toLocaleString('en-US')}, caught up in ${(r.catchUpMs / 1000).toFixed(1)} s; ${r.published.toLocaleString('en-US')} events published`,
      );
      out.line(
        r.equal
          ? 'final state equals an uninterrupted replay: the outage only delayed it'
          : 'final state DIFFERS from an uninterrupted replay',
      );
      out.info(topicsNote(r.topicsDeleted, r.topicsLeft));
    }
    if (!r.equal) {
      const e = new EbError('drill failed: the final state differs from an uninterrupted replay', {
        exitCode: ExitCode.assertion,
        hint: `hash ${r.hash.slice(0, 12)} vs reference ${r.referenceHash.slice(0, 12)}`,
      });
      if (this.jsonEnabled()) {
        process.exitCode = ExitCode.assertion;
        return r;
      }
      throw e;
    }
    return r;
  }
}
