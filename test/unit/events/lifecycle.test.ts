import { describe, expect, it } from 'vitest';
import {
  DOMAIN_DEFS,
  typeById,
  validateRecord,
  type GeneratedRecord,
} from '../../../src/lib/events/index.js';
import { gen, groupByKey, header, value } from './support.js';

/**
 * Replays every entity's events, in arrival order, through the catalogue's own state machine
 * (from-states → to-state, terminal states). Returns the problems found.
 */
function lifecycleProblems(records: readonly GeneratedRecord[]): string[] {
  const problems: string[] = [];
  for (const [key, list] of groupByKey(records)) {
    let state: string | undefined;
    let lastTs = -Infinity;
    let domain: string | undefined;
    for (const r of list) {
      const def = typeById(r.type)!;
      domain ??= def.domain;
      if (def.domain !== domain) problems.push(`${key}: ${r.type} after ${domain} events`);
      const d = DOMAIN_DEFS[def.domain];
      if (state !== undefined && d.terminal.includes(state))
        problems.push(`${key}: ${r.type} after terminal ${state}`);
      const allowed = state === undefined ? def.from.length === 0 : def.from.includes(state);
      if (!allowed)
        problems.push(`${key}: ${r.type} from state ${state ?? '(none)'}, want one of [${def.from}]`);
      if (!(r.timestamp > lastTs)) problems.push(`${key}: ${r.type} at ${r.timestamp}, not after ${lastTs}`);
      if (header(r, 'ce_subject') !== key) problems.push(`${key}: ce_subject ${header(r, 'ce_subject')}`);
      if (value(r)[d.idField] !== undefined && value(r)[d.idField] !== key)
        problems.push(`${key}: ${d.idField} in the value is ${String(value(r)[d.idField])}`);
      state = def.to;
      lastTs = r.timestamp;
    }
  }
  return problems;
}

describe('lifecycles over 100,000 events', () => {
  const records = gen({ seed: 'lifecycle', count: 100_000, with: ['terms-agreed'] });

  it('generates exactly the count, from every type of the catalogue', () => {
    expect(records.length).toBe(100_000);
    const types = new Set(records.map((r) => r.type));
    const missing = Object.values(DOMAIN_DEFS)
      .flatMap((d) => d.types.map((t) => t.id))
      .filter((t) => !types.has(t));
    expect(missing, 'types never generated').toEqual([]);
  });

  it('every entity follows its state machine, in strictly increasing time, nothing after a terminal state', () => {
    const problems = lifecycleProblems(records);
    expect(problems.slice(0, 10), `${problems.length} problems`).toEqual([]);
  });

  it('every record passes the contract (headers, key, schema of its shape)', () => {
    for (const r of records) validateRecord(r);
  });

  it('many entities are in flight at once (events interleave, not one entity after another)', () => {
    let switches = 0;
    for (let i = 1; i < records.length; i++) if (!records[i]!.key.equals(records[i - 1]!.key)) switches++;
    expect(switches / records.length, `got ${switches} key switches`).toBeGreaterThan(0.9);
    const open = new Set<string>();
    let maxOpen = 0;
    const lastIndex = new Map(records.map((r, i) => [r.key.toString(), i]));
    records.forEach((r, i) => {
      open.add(r.key.toString());
      maxOpen = Math.max(maxOpen, open.size);
      if (lastIndex.get(r.key.toString()) === i) open.delete(r.key.toString());
    });
    expect(maxOpen, `got at most ${maxOpen} entities in flight`).toBeGreaterThan(500);
  });

  it('the checker itself catches a swapped pair, an event after a terminal state and a foreign key', () => {
    const orders = [...groupByKey(records).values()].find(
      (l) => l[0]!.type === 'checkout.cart-created' && l.length > 4,
    )!;
    const swapped = [orders[1]!, orders[0]!, ...orders.slice(2)];
    expect(lifecycleProblems(swapped).length).toBeGreaterThan(0);
    const placed = [...groupByKey(records).values()].find((l) => l.at(-1)!.type === 'checkout.order-placed')!;
    expect(lifecycleProblems([...placed, placed[1]!]).join()).toContain('after terminal placed');
  });

  it('records are emitted in time order (no faults injected)', () => {
    for (let i = 1; i < records.length; i++) {
      if (records[i]!.timestamp < records[i - 1]!.timestamp)
        expect.fail(`record ${i} at ${records[i]!.timestamp} before ${records[i - 1]!.timestamp}`);
    }
  });

  it('cross-domain ids are consistent', () => {
    const loggedIn = new Map<string, number>();
    const registered = new Set<string>();
    const placed = new Map<string, { userId: string; storeId: string }>();
    const problems: string[] = [];
    for (const r of records) {
      const v = value(r);
      switch (r.type) {
        case 'identity.user-registered':
          registered.add(v.userId as string);
          break;
        case 'identity.login-succeeded':
          loggedIn.set(v.userId as string, r.timestamp);
          break;
        case 'checkout.cart-created':
          if (!loggedIn.has(v.userId as string))
            problems.push(`cart ${String(v.orderId)} by ${String(v.userId)} who never logged in`);
          break;
        case 'checkout.order-placed':
          placed.set(v.orderId as string, { userId: v.userId as string, storeId: v.storeId as string });
          break;
        case 'email.queued':
          if (!registered.has(v.userId as string)) problems.push(`email to unregistered ${String(v.userId)}`);
          if (v.orderId !== null && placed.get(v.orderId as string)?.userId !== v.userId)
            problems.push(`email about ${String(v.orderId)} not placed by ${String(v.userId)}`);
          break;
        case 'video.playback-requested':
          if (!loggedIn.has(v.userId as string))
            problems.push(`playback by ${String(v.userId)} who never logged in`);
          break;
      }
      if (r.type.startsWith('delivery.')) {
        const order = placed.get(v.orderId as string);
        if (!order) problems.push(`${r.type} for ${String(v.orderId)}, not a placed order`);
        else if (order.storeId !== v.storeId)
          problems.push(
            `${r.type} of ${String(v.orderId)} at ${String(v.storeId)}, ordered at ${order.storeId}`,
          );
        if (r.type === 'delivery.order-accepted' && order && order.userId !== v.userId)
          problems.push(
            `delivery of ${String(v.orderId)} to ${String(v.userId)}, ordered by ${order.userId}`,
          );
      }
    }
    expect(problems.slice(0, 10), `${problems.length} problems`).toEqual([]);
    expect(placed.size).toBeGreaterThan(500);
  });

  it('correlation and causation ids chain every event back to its journey', () => {
    const ids = new Set<string>();
    for (const r of records) {
      const cause = header(r, 'causation_id')!;
      const own = header(r, 'ce_id')!;
      if (cause !== own && !ids.has(cause)) expect.fail(`${own}: cause ${cause} was not emitted before it`);
      const corr = header(r, 'correlation_id')!;
      if (!/^user-[0-9a-f]{8}:user-registered:1$/.test(corr)) expect.fail(`${own}: correlation ${corr}`);
      ids.add(own);
    }
  });
});

describe('faults', () => {
  const rates = { duplicates: 0.03, outOfOrder: 0.03, late: 0.03 };
  // By entities, not count: a count cuts the timeline, and a late event may fall past the cut.
  const records = gen({ seed: 'faults', entities: 8000, faults: rates });

  it('each fault kind appears at about its rate and is marked in eb_fault', () => {
    const n = records.length;
    for (const [fault, p] of [
      ['duplicate', rates.duplicates],
      ['out-of-order', rates.outOfOrder],
      ['late', rates.late],
    ] as const) {
      const got = records.filter((r) => header(r, 'eb_fault') === fault).length;
      expect(r2(got / n), `${fault}: ${got} of ${n}`).toBeGreaterThan(p * 0.5);
      expect(r2(got / n), `${fault}: ${got} of ${n}`).toBeLessThan(p * 1.5);
    }
  });

  it('dropping marked duplicates and putting marked records back in time order restores valid lifecycles', () => {
    const repaired = records
      .filter((r) => r.fault !== 'duplicate')
      .map((r, i) => ({ r, i }))
      .sort((a, b) => a.r.timestamp - b.r.timestamp || a.i - b.i)
      .map((x) => x.r);
    const problems = lifecycleProblems(repaired);
    expect(problems.slice(0, 10), `${problems.length} problems`).toEqual([]);
  });

  it('a duplicate repeats an earlier record exactly (same ce_id, value, timestamp)', () => {
    const seen = new Map<string, GeneratedRecord>();
    for (const r of records) {
      const id = header(r, 'ce_id')!;
      if (r.fault === 'duplicate') {
        const original = seen.get(id);
        expect(original, `duplicate ${id} before its original`).toBeDefined();
        expect(r.value.equals(original!.value) && r.timestamp === original!.timestamp).toBe(true);
      } else seen.set(id, r);
    }
  });

  it('out-of-order and late records are the only ones that go back in time per key', () => {
    for (const [key, list] of groupByKey(records)) {
      let max = -Infinity;
      for (const r of list) {
        if (r.timestamp < max && r.fault !== 'out-of-order' && r.fault !== 'late' && r.fault !== 'duplicate')
          expect.fail(`${key}: unmarked ${r.type} at ${r.timestamp} after ${max}`);
        max = Math.max(max, r.timestamp);
      }
    }
  });

  it('a marked out-of-order record really arrives after its successor', () => {
    let checked = 0;
    for (const list of groupByKey(records).values()) {
      list.forEach((r, i) => {
        if (r.fault !== 'out-of-order') return;
        const later = list.slice(0, i).some((x) => x.timestamp > r.timestamp && x.fault === undefined);
        expect(later, `${header(r, 'ce_id')} is not behind a later event`).toBe(true);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(100);
  });
});

function r2(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
