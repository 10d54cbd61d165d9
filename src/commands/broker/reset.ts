import { rmSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { confirmOrForce } from '../../lib/cli/prompt.js';
import { embeddedPaths, runningBroker, stopBroker } from '../../lib/embedded/manager.js';
import { output } from '../../lib/render/output.js';

export interface BrokerResetResult {
  wiped: boolean;
  dataDir: string;
  wasRunning: boolean;
}

export default class BrokerReset extends BaseCommand<BrokerResetResult> {
  static override summary = "Wipe the embedded broker's data: every topic, record and committed offset.";
  static override description =
    'Stops the broker if it runs. Asks for confirmation on a terminal; in scripts pass --force.';
  static override examples = ['<%= config.bin %> broker reset', '<%= config.bin %> broker reset --force'];
  static override flags = { force: Flags.boolean({ char: 'f', summary: 'Wipe without asking.' }) };

  async run(): Promise<BrokerResetResult> {
    const { flags } = await this.parse(BrokerReset);
    const paths = embeddedPaths();
    const st = runningBroker(paths);
    const dataDir = st?.dataDir ?? paths.dataDir;
    const ok = await confirmOrForce(`Delete everything in ${dataDir}?`, {
      force: flags.force,
      json: this.jsonEnabled(),
      action: `wipe ${dataDir}`,
    });
    if (!ok) return { wiped: false, dataDir, wasRunning: Boolean(st) };
    if (st) await stopBroker(st, paths);
    rmSync(dataDir, { recursive: true, force: true });
    if (!this.jsonEnabled())
      output().line(
        `wiped ${dataDir}${st ? ' (the broker was stopped; the next command starts it again)' : ''}`,
      );
    return { wiped: true, dataDir, wasRunning: Boolean(st) };
  }
}
