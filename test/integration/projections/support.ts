import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type GeneratedRecord,
  generateRecords,
  rebuildAll,
  type EntityState,
} from '../../../src/lib/events/index.js';
import type { Admin } from 'kafkajs';
import { expect } from 'vitest';
import type { KafkaSession } from '../../../src/lib/kafka/client.js';
import { loadCheckpoint } from '../../../src/lib/projections/checkpoint.js';
import { openDb } from '../../../src/lib/projections/db.js';
import { ensureTopics, sendRecords } from '../../../src/lib/projections/publish-data.js';
import { openSession as openTestSession, uniqueName } from '../../helpers/kafka.js';

export function openSession(): Promise<KafkaSession> {
  return openTestSession('eb-projections-test');
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'eb-proj-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Two hours ago on a whole minute: Kafka refuses timestamps more than an hour in the future. */
export const START = Math.floor((Date.now() - 2 * 3600_000) / 60_000) * 60_000;

export interface Stream {
  prefix: string;
  records: GeneratedRecord[];
}

/** Generates a seeded stream, renames its topics under a unique prefix and publishes it. */
export async function publishStream(
  session: KafkaSession,
  o: { seed: string; count: number; shape?: string; with?: string[]; domains?: string[]; prefix?: string },
): Promise<Stream> {
  const prefix = o.prefix ?? uniqueName('pj').replace('-', '');
  const domains = o.domains ?? ['checkout', 'delivery'];
  const shape = o.shape ?? 'sourcing';
  const records = [
    ...generateRecords({
      domains,
      seed: o.seed,
      count: o.count,
      shape,
      startTime: START,
      ratePerSec: 200,
      with: o.with,
    }),
  ].map((r) => ({ ...r, topic: prefix + r.topic.slice(2) }));
  await ensureTopics(session, prefix, domains, shape);
  await sendRecords(session, records);
  return { prefix, records };
}

const str = (v: unknown) => (v === undefined || v === null ? null : v);
const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/**
 * The rows the sourcing projection must hold, computed from the reference fold (not from the
 * projector's SQL), in the hashSql column order of each table.
 */
export function expectedSourcingTables(states: Map<string, EntityState>): Record<string, unknown[][]> {
  const orders: unknown[][] = [];
  const items: unknown[][] = [];
  const deliveries: unknown[][] = [];
  const ids = [...states.keys()].sort();
  for (const id of ids) {
    const s = states.get(id)!;
    if (id.startsWith('order-')) {
      orders.push([
        id,
        s.userId,
        s.storeId,
        s.status,
        s.totalCents,
        s.currency,
        json(s.deliveryAddress),
        s.paymentAttempts,
        s.paymentId,
        s.paymentMethod,
        s.lastPaymentFailure,
        s.cancelReason,
        s.createdAt,
        s.placedAt,
        s.updatedAt,
        str(s.termsVersion),
        str(s.termsAgreedAt),
      ]);
      for (const it of s.items as { sku: string; name: string; quantity: number; unitPriceCents: number }[])
        items.push([id, it.sku, it.name, it.quantity, it.unitPriceCents]);
    } else if (id.startsWith('delivery-')) {
      const loc = s.location as { lat: number; lon: number } | null;
      deliveries.push([
        id,
        s.orderId,
        s.userId,
        s.storeId,
        s.status,
        json(s.address),
        s.etaMinutes,
        s.courierId,
        loc?.lat ?? null,
        loc?.lon ?? null,
        s.locationUpdates,
        s.acceptedAt,
        s.bakedAt,
        s.outForDeliveryAt,
        s.deliveredAt,
        s.updatedAt,
      ]);
    }
  }
  return { orders, order_items: items, deliveries };
}

/** The same hash format as contentHash: table name, then one JSON array per row. */
export function hashTables(tables: Record<string, unknown[][]>, order: string[]): string {
  const h = createHash('sha256');
  for (const name of order) {
    h.update(`${name}\n`);
    for (const row of tables[name] ?? []) h.update(`${JSON.stringify(row)}\n`);
  }
  return h.digest('hex');
}

export function referenceSourcingHash(records: GeneratedRecord[], skipTypes: string[] = []): string {
  return hashTables(expectedSourcingTables(rebuildAll(records, { skipTypes })), [
    'orders',
    'order_items',
    'deliveries',
  ]);
}

/** The sum of a projection database's checkpointed next offsets (events applied, from offset 0). */
export function checkpointSum(path: string): number {
  const db = openDb(path, { readonly: true });
  try {
    return loadCheckpoint(db).reduce((s, c) => s + c.nextOffset, 0);
  } finally {
    db.close();
  }
}

export async function topicsUnder(admin: Admin, prefix: string): Promise<string[]> {
  return (await admin.listTopics()).filter((t) => t.startsWith(`${prefix}.`)).sort();
}

/** Real Kafka deletes topics asynchronously: wait a little for the metadata to agree. */
export async function expectNoTopics(admin: Admin, prefix: string): Promise<void> {
  let left = await topicsUnder(admin, prefix);
  for (let i = 0; i < 50 && left.length; i++) {
    await new Promise((r) => setTimeout(r, 200));
    left = await topicsUnder(admin, prefix);
  }
  expect(left, `topics left under ${prefix}: got ${left.join(', ')}, want none`).toEqual([]);
}
