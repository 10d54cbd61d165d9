import { BaseCommand } from '../../lib/cli/base-command.js';
import { listContexts, targetOrderHelp, type ContextListing } from '../../lib/kafka/contexts.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export type ContextListResult = ContextListing;

export default class ContextList extends BaseCommand<ContextListResult> {
  static override summary = 'List named contexts, mark the current one, and show where commands connect now.';
  static override description = `A context is a named way to reach one Kafka cluster: its brokers, a client id, TLS and SASL settings. Passwords are never stored; a context names the environment variable that holds one.

${targetOrderHelp}`;
  static override examples = [
    {
      description: 'See all contexts and the target in effect now:',
      command: '<%= config.bin %> context list',
    },
    {
      description: 'The same as JSON, for scripts:',
      command: '<%= config.bin %> context list --json',
    },
  ];

  async run(): Promise<ContextListResult> {
    await this.parse(ContextList);
    const listing = listContexts();
    if (!this.jsonEnabled()) {
      const out = output();
      if (listing.contexts.length === 0) {
        out.line('no contexts yet; add one with `eventbench context add NAME --brokers host:port`');
      } else {
        out.line(
          renderTable(
            ['current', 'name', 'brokers', 'tls', 'sasl'],
            listing.contexts.map((c) => [
              c.current ? '*' : '',
              c.name,
              c.brokers.join(','),
              c.tls ? 'yes' : 'no',
              c.sasl ? `${c.sasl.mechanism} as ${c.sasl.username}` : null,
            ]),
          ),
        );
      }
      out.line();
      out.line(`config file: ${listing.configPath}`);
      const t = listing.target;
      out.line(t.error === null ? `target now:  ${t.describe}` : `target now:  none: ${t.error}`);
    }
    return listing;
  }
}
