import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { KafkaSession } from '../../src/lib/kafka/client.js';
import { runCli } from '../helpers/kafka.js';
import { openSession, publishStream, tempDir, type Stream } from '../integration/projections/support.js';

let session: KafkaSession;
let stream: Stream;
const tmp = tempDir();
const env = { XDG_DATA_HOME: join(tmp.dir, 'xdg'), EVENTBENCH_HOME: undefined };

beforeAll(async () => {
  session = await openSession();
  stream = await publishStream(session, { seed: 'e2e-1', count: 2000, with: ['terms-agreed'] });
});
afterAll(async () => {
  await session.close();
  tmp.cleanup();
});

function json<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

describe('replay and projection commands (spawned CLI)', () => {
  const db = () => join(tmp.dir, 'e2e.db');

  it('replay --json applies the stream and reports held-back side effects', async () => {
    const r = await runCli(['replay', 'sourcing', '--db', db(), '--prefix', stream.prefix, '--json'], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const out = json<{
      applied: number;
      resumed: boolean;
      heldBack: Record<string, number>;
      lag: number;
      stoppedBy: string;
    }>(r.stdout);
    expect(out.applied).toBe(stream.records.length);
    expect(out.resumed).toBe(false);
    expect(out.lag).toBe(0);
    expect(out.stoppedBy).toBe('end');
    expect(out.heldBack['kitchen-ticket']).toBe(
      stream.records.filter((x) => x.type === 'checkout.order-placed').length,
    );
  });

  it('projection status --json: checkpoint equals the log end, lag 0', async () => {
    const r = await runCli(['projection', 'status', 'sourcing', '--db', db(), '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const s = json<{ lag: number; applied: number; partitions: { checkpoint: number; logEnd: number }[] }>(
      r.stdout,
    );
    expect(s.lag).toBe(0);
    expect(s.applied).toBe(stream.records.length);
    expect(s.partitions.length).toBe(6);
    for (const p of s.partitions) expect(p.checkpoint).toBe(p.logEnd);
  });

  it('projection show --sql --json returns rows; a write is refused with exit 2', async () => {
    const ok = await runCli(
      ['projection', 'show', 'sourcing', '--db', db(), '--sql', 'SELECT COUNT(*) AS n FROM orders', '--json'],
      { env },
    );
    expect(ok.code, ok.stderr).toBe(0);
    const rows = json<{ columns: string[]; rows: { n: number }[] }>(ok.stdout);
    expect(rows.columns).toEqual(['n']);
    expect(rows.rows[0]!.n).toBe(stream.records.filter((x) => x.type === 'checkout.cart-created').length);

    const bad = await runCli(
      ['projection', 'show', 'sourcing', '--db', db(), '--sql', 'DELETE FROM orders', '--json'],
      { env },
    );
    expect(bad.code).toBe(2);
    expect(json<{ error: { hint: string } }>(bad.stdout).error.hint).toMatch(/SELECT/);
  });

  it('projection list --json lists the four projections', async () => {
    const r = await runCli(['projection', 'list', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const names = json<{ projections: { name: string }[] }>(r.stdout).projections.map((p) => p.name);
    expect(names).toEqual(['sourcing', 'sourcing-legacy', 'state-transfer', 'notification']);
  });

  it('projection diff --db A --db B --json between two files', async () => {
    const early = join(tmp.dir, 'early.db');
    const t = new Date(stream.records[1000]!.timestamp).toISOString();
    const r1 = await runCli(
      ['replay', 'sourcing', '--db', early, '--prefix', stream.prefix, '--until', t, '--json'],
      { env },
    );
    expect(r1.code, r1.stderr).toBe(0);
    const r = await runCli(['projection', 'diff', 'sourcing', '--db', early, '--db', db(), '--json'], {
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    const d = json<{ tables: { table: string; added: number }[] }>(r.stdout);
    expect(d.tables.map((x) => x.table)).toEqual(['orders', 'order_items', 'deliveries']);
    expect(d.tables[0]!.added).toBeGreaterThan(0);
  });

  it.each([
    [['replay', 'nope', '--json'], /unknown projection/],
    [['projection', 'status', 'nope', '--json'], /unknown projection/],
    [['replay', 'sourcing', '--until', 'yesterday-ish', '--json'], /--until/],
    [['projection', 'diff', 'sourcing', '--at', '2026-13-45', '--at', 'now', '--json'], /--at/],
    [
      ['projection', 'show', 'sourcing', '--db', '/nonexistent/x.db', '--table', 'orders', '--json'],
      /no projection database/,
    ],
  ])('%j exits 2 with a hint', async (args, message) => {
    const r = await runCli(args, { env });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const e = json<{ error: { message: string; hint: string | null } }>(r.stdout).error;
    expect(e.message).toMatch(message);
    expect(e.hint).toBeTruthy();
  });

  it('replay --from on a projection with a checkpoint is refused (exit 2)', async () => {
    const r = await runCli(
      ['replay', 'sourcing', '--db', db(), '--prefix', stream.prefix, '--from', 'earliest', '--json'],
      { env },
    );
    expect(r.code).toBe(2);
  });
});
