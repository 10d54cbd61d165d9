import { Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { DOMAINS, listCatalogue, type Catalogue, type DomainName } from '../../lib/events/index.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export type EventsListResult = Catalogue;

export default class EventsList extends BaseCommand<EventsListResult> {
  static override summary = 'List the event catalogue: domains, event types and their lifecycles.';
  static override description = `Every type belongs to one domain's lifecycle (a state machine): "from → to" says which states it may follow and the state after it; (new) creates the entity; terminal states end it. Every type is published in all three shapes (notification, state, sourcing) to eb.<domain>.<shape>.

See \`eventbench events show <type>\` for a type's schema and examples, and docs/events.md for the contract.`;
  static override examples = [
    '<%= config.bin %> events list',
    '<%= config.bin %> events list --domain checkout --domain delivery',
    '<%= config.bin %> events list --json',
  ];
  static override flags = {
    domain: Flags.string({
      char: 'd',
      summary: 'Only these domains.',
      options: [...DOMAINS],
      multiple: true,
    }),
  };

  async run(): Promise<EventsListResult> {
    const { flags } = await this.parse(EventsList);
    const catalogue = listCatalogue((flags.domain as DomainName[] | undefined) ?? DOMAINS);
    if (!this.jsonEnabled()) render(catalogue);
    return catalogue;
  }
}

function render(c: Catalogue): void {
  const out = output();
  c.domains.forEach((d, i) => {
    if (i > 0) out.line();
    const rows = c.types
      .filter((t) => t.domain === d.name)
      .map((t) => [
        t.id + (t.extension ? ` (--with ${t.extension})` : ''),
        `${t.from.length ? t.from.join('|') : '(new)'} → ${t.to}${t.terminal ? ' (terminal)' : ''}`,
        t.description,
      ]);
    out.line(
      renderTable(['type', 'lifecycle', 'description'], rows, {
        title: `${d.name}: ${d.description} Entity: ${d.entity} (${d.idFormat}).`,
      }),
    );
  });
  out.line();
  out.line('shapes: notification, state, sourcing (every type, topic eb.<domain>.<shape>)');
  out.line('details: eventbench events show <type>');
}
