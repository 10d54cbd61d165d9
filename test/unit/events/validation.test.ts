import { describe, expect, it } from 'vitest';
import {
  EventValidationError,
  exampleOf,
  typeById,
  validateRecord,
  validateValue,
  type GeneratedRecord,
} from '../../../src/lib/events/index.js';
import { gen } from './support.js';

const itemAdded = () =>
  structuredClone(exampleOf(typeById('checkout.item-added')!).sourcing) as Record<string, unknown>;

function rejection(f: () => void): EventValidationError {
  try {
    f();
  } catch (e) {
    if (e instanceof EventValidationError) return e;
    throw e;
  }
  throw new Error('got no error, want an EventValidationError');
}

describe('an invalid event is rejected with an error naming the field', () => {
  it.each([
    ['quantity 0', (v: Record<string, unknown>) => (v.quantity = 0), 'quantity', 'must be >= 1, got 0'],
    ['quantity 1.5', (v: Record<string, unknown>) => (v.quantity = 1.5), 'quantity', 'must be an integer'],
    [
      'price as text',
      (v: Record<string, unknown>) => (v.unitPriceCents = '950'),
      'unitPriceCents',
      'must be a finite integer',
    ],
    ['missing sku', (v: Record<string, unknown>) => delete v.sku, 'sku', 'is required but missing'],
    [
      'bad order id',
      (v: Record<string, unknown>) => (v.orderId = 'order-XYZ'),
      'orderId',
      'must be order-<8 hex>',
    ],
    [
      'an extra field',
      (v: Record<string, unknown>) => (v.colour = 'red'),
      'colour',
      'is not part of the schema',
    ],
  ])('%s', (_name, mutate, field, problem) => {
    const v = itemAdded();
    mutate(v);
    const e = rejection(() => validateValue('checkout.item-added', 'sourcing', v));
    expect(e.field).toBe(field);
    expect(e.message).toContain(problem);
    expect(e.message).toMatch(/^checkout\.item-added \(sourcing\): field "/);
  });

  it('names nested fields with their path', () => {
    const v = structuredClone(exampleOf(typeById('checkout.checkout-started')!).sourcing) as {
      deliveryAddress: { lat: unknown };
    };
    v.deliveryAddress.lat = 91;
    expect(rejection(() => validateValue('checkout.checkout-started', 'sourcing', v)).field).toBe(
      'deliveryAddress.lat',
    );
    const s = structuredClone(exampleOf(typeById('checkout.order-placed')!).state) as {
      items: { quantity: unknown }[];
    };
    s.items[0]!.quantity = -1;
    expect(rejection(() => validateValue('checkout.order-placed', 'state', s)).field).toBe(
      'items[0].quantity',
    );
  });

  it('checks the enum of a notification type', () => {
    const n = { ...(exampleOf(typeById('email.sent')!).notification as object), type: 'exploded' };
    const e = rejection(() => validateValue('email.sent', 'notification', n));
    expect(e.field).toBe('type');
    expect(e.message).toContain('must be one of queued, sent, delivered, opened, bounced');
  });
});

describe('validateRecord checks the envelope', () => {
  const [record] = gen({ seed: 'envelope', count: 1 }) as [GeneratedRecord];
  const withHeader = (name: string, v: string | undefined): GeneratedRecord => {
    const headers = { ...record.headers } as Record<string, Buffer>;
    if (v === undefined) delete headers[name];
    else headers[name] = Buffer.from(v);
    return { ...record, headers };
  };

  it('accepts a generated record and tells its type and shape', () => {
    const ok = validateRecord(record);
    expect(ok.def.id).toBe('identity.user-registered');
    expect(ok.shape).toBe('sourcing');
  });

  it.each([
    ['ce_type', undefined, 'header ce_type'],
    ['ce_type', 'eventbench.identity.user-teleported.v1', 'header ce_type'],
    ['ce_specversion', '0.3', 'header ce_specversion'],
    ['ce_subject', 'user-00000000', 'header ce_subject'],
    ['ce_time', '2025-01-01 00:00:00', 'header ce_time'],
    ['ce_dataschema', 'eventbench://schemas/identity/nope/v1', 'header ce_dataschema'],
    ['content-type', 'text/plain', 'header content-type'],
    ['causation_id', undefined, 'header causation_id'],
  ])('%s = %j is rejected', (name, v, field) => {
    expect(rejection(() => validateRecord(withHeader(name, v))).field).toBe(field);
  });

  it('rejects a value that is not JSON, and a timestamp that disagrees with ce_time', () => {
    expect(rejection(() => validateRecord({ ...record, value: Buffer.from('{') })).field).toBe('value');
    expect(rejection(() => validateRecord({ ...record, timestamp: record.timestamp + 1 })).field).toBe(
      'timestamp',
    );
  });
});
