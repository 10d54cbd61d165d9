import { BaseCommand } from '../../lib/cli/base-command.js';
import { brokerStatus, type BrokerStatus } from '../../lib/embedded/status.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export default class BrokerStatusCmd extends BaseCommand<BrokerStatus> {
  static override summary =
    'Show whether the embedded broker runs: pid, port, uptime, topics, partitions, bytes on disk, groups.';
  static override examples = ['<%= config.bin %> broker status', '<%= config.bin %> broker status --json'];

  async run(): Promise<BrokerStatus> {
    await this.parse(BrokerStatusCmd);
    const st = await brokerStatus();
    if (!this.jsonEnabled()) {
      const out = output();
      if (!st.running)
        out.line(
          'the embedded broker is not running (any eventbench command starts it; or `eventbench broker start`)',
        );
      else
        out.line(
          renderTable(
            ['pid', 'address', 'uptime', 'topics', 'partitions', 'bytes on disk', 'groups'],
            [
              [
                st.pid,
                `${st.host}:${st.port}`,
                `${Math.round((st.uptimeMs ?? 0) / 1000)}s`,
                st.topics,
                st.partitions,
                st.bytesOnDisk,
                st.groups,
              ],
            ],
          ),
        );
    }
    return st;
  }
}
