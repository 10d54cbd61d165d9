import { describe, expect, it } from 'vitest';
import {
  DOMAIN_DEFS,
  decodeSourcingRecord,
  parseHref,
  rebuild,
  rebuildAll,
  typeById,
  type EntityState,
  type SourcingEvent,
} from '../../../src/lib/events/index.js';
import { gen, groupByKey, header, value } from './support.js';

const opts = { seed: 'shapes', entities: 2500, with: ['terms-agreed'] };
const sourcing = gen({ ...opts, shape: 'sourcing' });
const state = gen({ ...opts, shape: 'state' });
const notification = gen({ ...opts, shape: 'notification' });

describe('three shapes of the same facts', () => {
  it('carry the same events: same keys, ce_ids, types, timestamps, in the same order', () => {
    const envelope = (rs: typeof sourcing) =>
      rs.map((r) => `${r.key}|${header(r, 'ce_id')}|${r.type}|${r.timestamp}`);
    expect(sourcing.length).toBeGreaterThan(10_000);
    expect(envelope(state)).toEqual(envelope(sourcing));
    expect(envelope(notification)).toEqual(envelope(sourcing));
  });

  it('go to one topic per domain and shape', () => {
    for (const [rs, shape] of [
      [sourcing, 'sourcing'],
      [state, 'state'],
      [notification, 'notification'],
    ] as const) {
      for (const r of rs.slice(0, 2000)) expect(r.topic).toBe(`eb.${r.type.split('.')[0]}.${shape}`);
    }
  });

  it('state: every value is the fold of the sourcing events up to it', () => {
    const bySourcing = groupByKey(sourcing);
    let checked = 0;
    for (const [key, states] of groupByKey(state)) {
      const events = bySourcing.get(key)!.map((r) => decodeSourcingRecord(r)!);
      const domain = events[0]!.domain;
      let folded: EntityState | undefined;
      states.forEach((r, i) => {
        folded = DOMAIN_DEFS[domain].apply(folded, events[i]!.event);
        expect(value(r), `${key} after event ${i}`).toEqual(folded);
        checked++;
      });
    }
    expect(checked).toBe(state.length);
  });

  it('sourcing: rebuilding each entity gives the last state-shape value', () => {
    const lastState = new Map<string, unknown>();
    for (const r of state) lastState.set(r.key.toString(), value(r));
    const rebuilt = rebuildAll(sourcing);
    expect(rebuilt.size).toBe(lastState.size);
    for (const [key, s] of rebuilt) expect(s, key).toEqual(lastState.get(key));
  });

  it('rebuild folds one entity; an unknown type leaves the state as it was', () => {
    const events: SourcingEvent[] = groupByKey(sourcing)
      .values()
      .next()
      .value!.map((r) => decodeSourcingRecord(r)!.event);
    const s = rebuild('identity', events)!;
    expect(s.userId).toBeDefined();
    expect(rebuild('identity', [...events, { type: 'hologram-sent', data: {}, time: 'x' }])).toEqual(s);
  });

  it('notification: thin, with ids matching the sourcing event and an href that finds the entity', () => {
    const rebuilt = rebuildAll(sourcing);
    notification.forEach((r, i) => {
      const v = value(r);
      const src = value(sourcing[i]!);
      const def = typeById(r.type)!;
      expect(v.type).toBe(def.name);
      expect(v.id).toBe(r.key.toString());
      if (v.userId !== undefined && src.userId !== undefined) expect(v.userId).toBe(src.userId);
      if (v.orderId !== undefined && src.orderId !== undefined) expect(v.orderId).toBe(src.orderId);
      const ref = parseHref(v.href as string)!;
      expect(ref.domain).toBe(def.domain);
      expect(rebuilt.has(ref.id), `href ${String(v.href)} finds nothing`).toBe(true);
      expect(Object.keys(v).length).toBeLessThanOrEqual(5);
    });
  });

  it('a consumer that does not know terms-agreed rebuilds the same orders as before the change', () => {
    const before = rebuildAll(gen({ seed: 'shapes', entities: 2500 }));
    const after = rebuildAll(sourcing, { skipTypes: ['terms-agreed'] });
    const withTerms = rebuildAll(sourcing);
    let orders = 0;
    let agreed = 0;
    for (const [key, s] of after) {
      expect(s, key).toEqual(before.get(key));
      if (key.startsWith('order-')) orders++;
      if (withTerms.get(key)?.termsVersion !== undefined) agreed++;
    }
    expect(orders).toBeGreaterThan(100);
    expect(agreed).toBeGreaterThan(100);
  });

  it('rebuildAll applies a redelivered duplicate once', () => {
    const dupes = gen({ seed: 'shapes', entities: 1000, faults: { duplicates: 0.2 } });
    const clean = gen({ seed: 'shapes', entities: 1000 });
    expect(dupes.filter((r) => r.fault === 'duplicate').length).toBeGreaterThan(100);
    expect(rebuildAll(dupes)).toEqual(rebuildAll(clean));
  });
});
