import { describe, expect, it } from 'vitest';
import type { EventsListResult } from '../../src/commands/events/list.js';
import type { EventsShowResult } from '../../src/commands/events/show.js';
import { runCli } from '../helpers/kafka.js';

async function json<T>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--json']);
  expect(r.code, `${args.join(' ')}: got exit ${r.code}, want 0; stderr: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe('eventbench events list', () => {
  it('--json: five domains, thirty types with lifecycles', async () => {
    const c = await json<EventsListResult>(['events', 'list']);
    expect(c.domains.map((d) => d.name)).toEqual(['identity', 'checkout', 'delivery', 'email', 'video']);
    expect(c.types.length).toBe(30);
    const placed = c.types.find((t) => t.id === 'checkout.order-placed')!;
    expect(placed).toMatchObject({ from: ['paid'], to: 'placed', terminal: true, extension: null });
    expect(c.types.find((t) => t.id === 'checkout.terms-agreed')!.extension).toBe('terms-agreed');
    expect(c.domains[1]!.topics.sourcing).toBe('eb.checkout.sourcing');
  });

  it('--domain filters; the table names types and lifecycles', async () => {
    const c = await json<EventsListResult>(['events', 'list', '--domain', 'video']);
    expect(new Set(c.types.map((t) => t.domain))).toEqual(new Set(['video']));
    const r = await runCli(['events', 'list', '-d', 'email']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/email\.bounced\s+sent → bounced \(terminal\)/);
    expect(r.stdout).not.toContain('checkout.');
  });

  it('an unknown domain is a usage error (exit 2) with the accepted values', async () => {
    const r = await runCli(['events', 'list', '--domain', 'pizza']);
    expect(r.code, `got exit ${r.code}, want 2`).toBe(2);
    expect(r.stderr).toContain('identity');
  });
});

describe('eventbench events show', () => {
  it('--json: schema, lifecycle, shapes, topics and the same fact in three shapes', async () => {
    const d = await json<EventsShowResult>(['events', 'show', 'order-placed']);
    expect(d.id).toBe('checkout.order-placed');
    expect(d.ceType).toBe('eventbench.checkout.order-placed.v1');
    expect(d.shapes).toEqual(['notification', 'state', 'sourcing']);
    expect(d.topics).toEqual({
      notification: 'eb.checkout.notification',
      state: 'eb.checkout.state',
      sourcing: 'eb.checkout.sourcing',
    });
    expect(d.schema.map((f) => f.path)).toEqual([
      'orderId',
      'userId',
      'storeId',
      'paymentId',
      'totalCents',
      'currency',
    ]);
    expect(d.lifecycle.terminal).toEqual(['placed', 'cancelled']);
    const src = d.example.sourcing as { orderId: string };
    expect((d.example.state as { orderId: string; status: string }).status).toBe('placed');
    expect((d.example.notification as { href: string }).href).toBe(
      `eventbench://checkout/orders/${src.orderId}`,
    );
    const rec = d.example.record as { key: string; headers: Record<string, string> };
    expect(rec.key).toBe(src.orderId);
    expect(rec.headers.ce_type).toBe(d.ceType);
  });

  it('prints the contract for people; --shape picks the schema', async () => {
    const r = await runCli(['events', 'show', 'email.delivered', '--shape', 'state']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('email.delivered  eventbench.email.delivered.v1');
    expect(r.stdout).toMatch(/lifecycle\s+email: sent → delivered/);
    expect(r.stdout).toContain('eventbench://schemas/email/email/v1');
    expect(r.stdout).toMatch(/openedWith\s+/);
    expect(r.stdout).toContain('"ce_type":"eventbench.email.delivered.v1"');
  });

  it('an ambiguous name exits 2 and lists the candidates', async () => {
    const r = await runCli(['events', 'show', 'delivered']);
    expect(r.code, `got exit ${r.code}, want 2`).toBe(2);
    expect(r.stderr).toContain('"delivered" is in several domains');
    expect(r.stderr).toContain('hint: use one of delivery.delivered, email.delivered');
    const j = await runCli(['events', 'show', 'nope', '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toEqual({
      error: {
        message: 'events show: unknown event type "nope"',
        hint: 'see `eventbench events list` for the catalogue',
        exitCode: 2,
      },
    });
  });
});
