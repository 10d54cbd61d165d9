import { describe, expect, it } from 'vitest';
import {
  ALL_TYPES,
  DOMAIN_DEFS,
  EventOptionsError,
  listCatalogue,
  parseTopic,
  showEventType,
  topicFor,
  validateRecord,
  validateValue,
} from '../../../src/lib/events/index.js';
import { fromJsonl } from '../../../src/lib/records/jsonl.js';

const fromJsonlForTest = (line: unknown) => fromJsonl(JSON.stringify(line));

describe('the catalogue', () => {
  const cat = listCatalogue();

  it('has the five domains and the types the issue names, terms-agreed as an extension', () => {
    expect(cat.domains.map((d) => d.name)).toEqual(['identity', 'checkout', 'delivery', 'email', 'video']);
    expect(cat.types.map((t) => t.id)).toEqual([
      'identity.user-registered',
      'identity.login-credentials-requested',
      'identity.credentials-issued',
      'identity.login-failed',
      'identity.login-succeeded',
      'identity.profile-updated',
      'checkout.cart-created',
      'checkout.item-added',
      'checkout.item-removed',
      'checkout.checkout-started',
      'checkout.terms-agreed',
      'checkout.payment-authorised',
      'checkout.payment-failed',
      'checkout.order-placed',
      'checkout.order-cancelled',
      'delivery.order-accepted',
      'delivery.baked',
      'delivery.out-for-delivery',
      'delivery.location-updated',
      'delivery.delivered',
      'email.queued',
      'email.sent',
      'email.delivered',
      'email.opened',
      'email.bounced',
      'video.playback-requested',
      'video.playback-started',
      'video.playback-buffering',
      'video.playback-paused',
      'video.playback-completed',
    ]);
    expect(cat.types.filter((t) => t.extension).map((t) => t.id)).toEqual(['checkout.terms-agreed']);
  });

  it('each lifecycle is a closed state machine: one creating type, every from/to state declared', () => {
    for (const d of Object.values(DOMAIN_DEFS)) {
      expect(d.types.filter((t) => t.from.length === 0).length, d.name).toBe(1);
      for (const t of d.types) {
        for (const s of [...t.from, t.to]) expect(d.states, `${t.id}: ${s}`).toContain(s);
      }
      for (const s of d.terminal)
        expect(
          d.types.some((t) => t.from.includes(s)),
          `${s} is left`,
        ).toBe(false);
    }
  });

  it('ce_type follows eventbench.<domain>.<type>.v1', () => {
    for (const t of ALL_TYPES) expect(t.ceType).toBe(`eventbench.${t.domain}.${t.name}.v1`);
  });

  it('topic convention is eb.<domain>.<shape>, and reads back', () => {
    expect(topicFor('checkout', 'sourcing')).toBe('eb.checkout.sourcing');
    expect(parseTopic('eb.email.notification')).toEqual({ domain: 'email', shape: 'notification' });
    expect(parseTopic('eb.pizza.state')).toBeUndefined();
    expect(cat.domains[1]!.topics).toEqual({
      notification: 'eb.checkout.notification',
      state: 'eb.checkout.state',
      sourcing: 'eb.checkout.sourcing',
    });
  });
});

describe('events show', () => {
  it.each(ALL_TYPES.map((t) => t.id))('%s has an example in every shape that passes its schema', (id) => {
    const d = showEventType(id);
    expect(d.shapes).toEqual(['notification', 'state', 'sourcing']);
    validateValue(id, 'sourcing', d.example.sourcing);
    validateValue(id, 'state', d.example.state);
    validateValue(id, 'notification', d.example.notification);
    const rec = fromJsonlForTest(d.example.record);
    expect(validateRecord(rec).def.id).toBe(id);
    expect(d.schema.length).toBeGreaterThan(0);
  });

  it('the three examples are the same fact', () => {
    const d = showEventType('checkout.order-placed');
    const src = d.example.sourcing as Record<string, unknown>;
    const state = d.example.state as Record<string, unknown>;
    const note = d.example.notification as Record<string, unknown>;
    expect(state.orderId).toBe(src.orderId);
    expect(state.status).toBe('placed');
    expect(state.totalCents).toBe(src.totalCents);
    expect(note).toEqual({
      type: 'order-placed',
      id: src.orderId,
      userId: src.userId,
      href: `eventbench://checkout/orders/${String(src.orderId)}`,
    });
  });

  it('finds a type by short name, catalogue id or ce_type', () => {
    expect(showEventType('order-placed').id).toBe('checkout.order-placed');
    expect(showEventType('eventbench.video.playback-paused.v1').id).toBe('video.playback-paused');
  });

  it('an ambiguous short name asks for the domain', () => {
    const e = catchError(() => showEventType('delivered'));
    expect(e.message).toBe('"delivered" is in several domains');
    expect(e.hint).toBe('use one of delivery.delivered, email.delivered');
  });

  it('an unknown type suggests near names or the list', () => {
    expect(catchError(() => showEventType('order')).hint).toContain('checkout.order-placed');
    expect(catchError(() => showEventType('zzz')).hint).toContain('events list');
  });

  it('describes nested fields with dotted paths', () => {
    const d = showEventType('checkout.checkout-started');
    expect(d.schema.map((f) => f.path)).toContain('deliveryAddress.lat');
    const lat = d.schema.find((f) => f.path === 'deliveryAddress.lat')!;
    expect(lat.type).toBe('number -90..90');
    expect(showEventType('checkout.item-added').stateSchema.map((f) => f.path)).toContain('items[].sku');
  });
});

function catchError(f: () => unknown): EventOptionsError {
  try {
    f();
  } catch (e) {
    if (e instanceof EventOptionsError) return e;
    throw e;
  }
  throw new Error('got no error, want an EventOptionsError');
}
