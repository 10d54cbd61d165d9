import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { usageError } from '../../lib/cli/errors.js';
import { parseDurationFlag } from '../../lib/cli/flags.js';
import { interruptible } from '../../lib/cli/interrupt.js';
import { watchGroup, type WatchView } from '../../lib/groups/watch.js';
import { watchLines, watchScreen } from '../../lib/groups/watch-view.js';
import { output } from '../../lib/render/output.js';

export interface GroupWatchResult {
  group: string;
  /** Every view taken, oldest first. */
  views: WatchView[];
}

export default class GroupWatch extends BaseCommand<GroupWatchResult> {
  static override summary =
    'Watch a group’s lag live: per partition and total, consume vs arrival rate, trend, ETA.';
  static override description = `Consume rate is how fast the committed offsets advance; arrival rate how fast records are
appended. ETA = lag / (consume − arrival), shown as — when the group is not catching up.
On a terminal the table is redrawn (red when falling behind); in a pipe each sample prints plain
key=value lines. Ctrl-C stops. --iterations bounds the run for scripts and tests.`;
  static override examples = [
    '<%= config.bin %> group watch billing',
    '<%= config.bin %> group watch billing --interval 5s --iterations 12 > lag.log',
  ];
  static override args = {
    group: Args.string({ ignoreStdin: true, required: true, description: 'Consumer group id' }),
  };
  static override flags = {
    ...targetFlags,
    // Text value ('2s'), turned into ms in run(): a defaultHelp function would make oclif load
    // this module for --help instead of reading the manifest (see --connect-timeout).
    interval: Flags.custom<string>({
      summary: 'Time between samples.',
      default: '2s',
      parse: async (input) => {
        intervalMs(input);
        return input;
      },
    })(),
    iterations: Flags.integer({ char: 'n', summary: 'Stop after this many samples.', min: 1 }),
  };

  async run(): Promise<GroupWatchResult> {
    const { args, flags } = await this.parse(GroupWatch);
    const interval = intervalMs(flags.interval);
    const session = await this.session(flags);
    const interrupt = interruptible();
    const out = output();
    const json = this.jsonEnabled();
    const views: WatchView[] = [];
    try {
      for await (const view of watchGroup(session, args.group, {
        intervalMs: interval,
        iterations: flags.iterations,
        signal: interrupt.signal,
      })) {
        views.push(view);
        if (views.length === 1 && view.state === 'Dead' && view.partitions.length === 0) {
          out.warn(`group ${args.group} has no members and no committed offsets (yet); watching anyway`);
        }
        if (json) continue;
        if (out.stdoutIsTTY)
          out.write(`\x1b[H\x1b[2J${watchScreen(args.group, view, out.color, interval)}\n`);
        else out.line(watchLines(args.group, view).join('\n'));
      }
    } finally {
      interrupt.dispose();
    }
    return { group: args.group, views };
  }
}

function intervalMs(input: string): number {
  const ms = parseDurationFlag(input, '--interval');
  if (ms < 100)
    throw usageError(`--interval ${input} is too short`, 'give at least 100ms, e.g. --interval 2s');
  return ms;
}
