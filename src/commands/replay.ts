import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../lib/cli/base-command.js';
import { usageError } from '../lib/cli/errors.js';
import { interruptible } from '../lib/cli/interrupt.js';
import {
  dbFlag,
  dbPathFor,
  parsePace,
  positionFlag,
  prefixFlag,
  timeOrPosition,
} from '../lib/projections/flags.js';
import { findProjection } from '../lib/projections/registry.js';
import { renderReplay, renderStep } from '../lib/projections/report.js';
import { replay, type ReplayResult } from '../lib/projections/runtime.js';
import { output } from '../lib/render/output.js';
import { Progress } from '../lib/render/progress.js';

export type ReplayCommandResult = ReplayResult;

export default class Replay extends BaseCommand<ReplayCommandResult> {
  static override summary = 'Replay event topics into a local SQLite projection (exactly once, resumable).';
  static override description = `A projection is a consumer that applies events to a SQLite file you can open with any
SQLite tool. The offsets it has applied are stored in the same file, in the same transaction
as the state, so a replay that is stopped or killed resumes exactly where it left off: no event
applied twice, none skipped. See \`eventbench projection list\` for the projections.

Replaying versus live: events already in the log when the replay starts are history, and their
side effects (emails, kitchen tickets) are held back and counted. Events that arrive while you
--follow are live: their side effects are recorded in the eb_outbox table.

--until recreates the tables as of a moment: replay into a separate --db to keep both.
Positions (--from, --until) use the grammar of docs/positions.md; --until also takes a bare time.`;
  static override examples = [
    '<%= config.bin %> replay sourcing',
    '<%= config.bin %> replay sourcing --until 2026-11-20T12:00Z --db orders-at-noon.db',
    '<%= config.bin %> replay notification --follow',
    '<%= config.bin %> replay sourcing --reset --pace 60x',
    '<%= config.bin %> replay sourcing-legacy --json',
  ];
  static override args = {
    projection: Args.string({ required: true, description: 'Projection name (see `projection list`)' }),
  };
  static override flags = {
    ...targetFlags,
    db: dbFlag,
    prefix: prefixFlag,
    from: Flags.string({ summary: 'Where a new projection starts (default earliest).' }),
    until: Flags.string({
      summary: 'Stop before this position or time (e.g. 2026-11-20T12:00Z, @-1h, end).',
    }),
    follow: Flags.boolean({ summary: 'Keep applying new events as they arrive (live).' }),
    reset: Flags.boolean({ summary: 'Delete the database and rebuild from scratch.' }),
    pace: Flags.string({
      summary: 'Re-live the original gaps between events: real, or a speed-up like 60x.',
    }),
    step: Flags.boolean({
      summary: 'Apply one event per key press (terminal only) and show the changed rows.',
    }),
    'source-down': Flags.boolean({
      summary: 'Notification pattern: the source service is down, callbacks fail.',
    }),
    batch: Flags.integer({
      summary: 'Most events per transaction (tests use small ones).',
      min: 1,
      hidden: true,
    }),
  };

  async run(): Promise<ReplayCommandResult> {
    const { args, flags } = await this.parse(Replay);
    const def = findProjection(args.projection);
    const until = flags.until !== undefined ? timeOrPosition(flags.until, '--until') : undefined;
    const from = flags.from !== undefined ? positionFlag(flags.from, '--from', false) : undefined;
    const pace = flags.pace !== undefined ? parsePace(flags.pace) : undefined;
    if (flags.follow && until) throw usageError('give --follow or --until, not both', 'see --help');
    if (flags.step && (this.jsonEnabled() || !process.stdin.isTTY))
      throw usageError('--step needs a terminal', 'run it in a terminal without --json');
    const interrupt = interruptible();
    const progress = new Progress(`replay ${def.name}`);
    const session = await this.session(flags);
    try {
      const result = await replay(session, def, {
        dbPath: dbPathFor(def.name, flags.db),
        prefix: flags.prefix,
        from,
        until,
        follow: flags.follow,
        reset: flags.reset,
        pace,
        sourceDown: flags['source-down'],
        maxTxnRecords: flags.batch,
        signal: interrupt.signal,
        onProgress: (p) => progress.update(p.applied, `lag ${p.lag.toLocaleString('en-US')}`),
        onStep: flags.step
          ? async (s) => {
              output().line(renderStep(s));
              await keyPress(interrupt.stop);
            }
          : undefined,
      });
      progress.done();
      if (!this.jsonEnabled()) output().line(renderReplay(result));
      return result;
    } finally {
      interrupt.dispose();
    }
  }
}

/** Waits for one key on the terminal; q or Ctrl-C stops the replay. */
async function keyPress(stop: () => void): Promise<void> {
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      const k = d.toString();
      if (k === 'q' || k === '\u0003') stop();
      done();
    };
    // The terminal went away (stdin closed): stop stepping rather than wait forever.
    const onEnd = () => {
      stop();
      done();
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      resolve();
    };
    stdin.once('data', onData);
    stdin.once('end', onEnd);
  });
  stdin.setRawMode(false);
  stdin.pause();
}
