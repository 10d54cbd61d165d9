import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { asUsageError } from '../../lib/cli/errors.js';
import { SHAPES, showEventType, type EventTypeDetail, type Shape } from '../../lib/events/index.js';
import { output } from '../../lib/render/output.js';
import { renderTable } from '../../lib/render/table.js';

export type EventsShowResult = EventTypeDetail;

export default class EventsShow extends BaseCommand<EventsShowResult> {
  static override summary =
    "Show an event type's contract: schema, lifecycle, shapes, topics and an example.";
  static override description = `The type may be given as its catalogue id (checkout.order-placed), its CloudEvents type (eventbench.checkout.order-placed.v1), or its bare name when only one domain has it (order-placed).

The example is a real generated event: the same fact in the three shapes, and the sourcing record as \`tail --output jsonl\` prints it.`;
  static override examples = [
    '<%= config.bin %> events show order-placed',
    '<%= config.bin %> events show email.delivered --shape state',
    '<%= config.bin %> events show checkout.terms-agreed --json',
  ];
  static override args = {
    type: Args.string({ required: true, description: 'Event type (see `events list`)' }),
  };
  static override flags = {
    shape: Flags.string({
      summary: 'Which schema to print: the sourcing payload, the state, or the notification.',
      options: [...SHAPES],
      default: 'sourcing',
    }),
  };

  async run(): Promise<EventsShowResult> {
    const { args, flags } = await this.parse(EventsShow);
    let detail: EventTypeDetail;
    try {
      detail = showEventType(args.type);
    } catch (err) {
      throw asUsageError(err, 'events show');
    }
    if (!this.jsonEnabled()) render(detail, flags.shape as Shape);
    return detail;
  }
}

function render(d: EventTypeDetail, shape: Shape): void {
  const out = output();
  const bold = out.color.bold;
  const terminal = new Set(d.lifecycle.terminal);
  out.line(`${bold(d.id)}  ${d.ceType}${d.extension ? `  (only with --with ${d.extension})` : ''}`);
  out.line(d.description);
  out.line();
  const rows: [string, string][] = [
    [
      'lifecycle',
      `${d.entity}: ${d.from.length ? d.from.join(' | ') : '(new)'} → ${d.to}${d.terminal ? ' (terminal)' : ''}`,
    ],
    ['states', d.lifecycle.states.map((s) => (terminal.has(s) ? `${s} (terminal)` : s)).join(', ')],
    ['shapes', `${d.shapes.join(', ')} (all three carry it)`],
    ['topics', SHAPES.map((s) => d.topics[s]).join(', ')],
    ['ce_source', d.source],
    ['ce_dataschema', d.dataschemas[shape]],
  ];
  for (const [k, v] of rows) out.line(`${k.padEnd(15)}${v}`);
  out.line();
  const fields = shape === 'sourcing' ? d.schema : shape === 'state' ? d.stateSchema : d.notificationSchema;
  out.line(
    renderTable(
      ['field', 'type', 'required', 'description'],
      fields.map((f) => [f.path, f.type, f.required ? 'yes' : 'no', f.description]),
      { title: `${shape} value` },
    ),
  );
  out.line();
  out.line(bold('example: the same fact in each shape'));
  for (const s of SHAPES) out.line(`${s.padEnd(13)}${JSON.stringify(d.example[s])}`);
  out.line();
  out.line(bold('the sourcing record, as `tail --output jsonl` prints it'));
  out.line(JSON.stringify(d.example.record));
}
