import { BaseCommand } from '../../lib/cli/base-command.js';
import { embeddedPaths, runningBroker, stopBroker } from '../../lib/embedded/manager.js';
import { output } from '../../lib/render/output.js';

export interface BrokerStopResult {
  stopped: boolean;
  pid: number | null;
  forced: boolean;
}

export default class BrokerStop extends BaseCommand<BrokerStopResult> {
  static override summary = 'Stop the background embedded broker (it flushes its logs first).';
  static override examples = ['<%= config.bin %> broker stop'];

  async run(): Promise<BrokerStopResult> {
    await this.parse(BrokerStop);
    const paths = embeddedPaths();
    const st = runningBroker(paths);
    if (!st) {
      if (!this.jsonEnabled()) output().line('the embedded broker is not running');
      return { stopped: false, pid: null, forced: false };
    }
    const { forced } = await stopBroker(st, paths);
    if (!this.jsonEnabled())
      output().line(
        `stopped the embedded broker (pid ${st.pid})${forced ? ' after it ignored SIGTERM' : ''}`,
      );
    return { stopped: true, pid: st.pid, forced };
  }
}
