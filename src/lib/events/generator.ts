import type { RecordData } from '../records/jsonl.js';
import { CONTENT_TYPE, SPEC_VERSION, ceSource, dataSchemaUri } from './envelope.js';
import { anyFaults } from './faults.js';
import { causationOf, ceIdOf, journeyEvents, type PlannedEvent } from './journey-events.js';
import { resolveOptions, type GenerateOptions, type ResolvedOptions } from './options.js';
import { JourneyPlanner } from './plan/journey.js';
import { rngFor } from './prng.js';
import { DOMAIN_DEFS } from './registry.js';
import { topicFor } from './topics.js';
import { DOMAINS, type DomainName, type EventTypeDef, type Fault } from './types.js';
import { iso } from './world.js';

/** A generated record: RecordData plus what a summary needs without parsing headers. */
export interface GeneratedRecord extends RecordData {
  readonly topic: string;
  readonly timestamp: number;
  readonly key: Buffer;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, Buffer>>;
  /** Catalogue id of the event type, e.g. "checkout.order-placed". */
  readonly type: string;
  readonly fault: Fault | undefined;
}

/**
 * Expected events per journey in each domain (extensions and faults not counted), measured over
 * many seeds; a unit test keeps them honest.
 */
export const EVENTS_PER_JOURNEY: Readonly<Record<DomainName, number>> = {
  identity: 4.75,
  checkout: 5.4,
  delivery: 5.8,
  email: 7.4,
  video: 4.6,
};

/**
 * Simulated milliseconds between journey starts, on average: the whole simulated world (all
 * five domains) produces `ratePerSec` events per simulated second in steady state. It does not
 * depend on which domains are selected, so `publish identity` and `publish checkout` with the
 * same seed, start time and rate describe the same world on the same timeline; a selection
 * shows its share of the rate.
 */
export function journeyGapMs(ratePerSec: number): number {
  let perJourney = 0;
  for (const d of DOMAINS) perJourney += EVENTS_PER_JOURNEY[d];
  return (perJourney * 1000) / ratePerSec;
}

interface TypeRuntime {
  readonly topic: string;
  readonly ceType: Buffer;
  readonly source: Buffer;
  readonly dataschema: Buffer;
}

interface Cursor {
  readonly k: number;
  readonly events: PlannedEvent[];
  i: number;
}

const SPEC = Buffer.from(SPEC_VERSION);
/** Placeholder for an emitted event in a journey's list (keeps the array's element kind). */
const RELEASED = null as unknown as PlannedEvent;
const JSON_TYPE = Buffer.from(CONTENT_TYPE);
const FAULT_BUFS: Readonly<Record<Fault, Buffer>> = {
  duplicate: Buffer.from('duplicate'),
  'out-of-order': Buffer.from('out-of-order'),
  late: Buffer.from('late'),
};

/**
 * The record stream: journeys (one new user each) start one after another on the simulated
 * clock, `journeyGapMs` apart on average with a seeded jitter, and their events interleave in
 * simulated time, many entities in flight at once. Stops at `count` records, after `entities`
 * entities have begun and finished, or at `durationMs` of simulated time, whichever comes first;
 * with none of them it never ends.
 *
 * Throws EventOptionsError (before yielding anything) for a bad option.
 */
export function* generateRecords(options: GenerateOptions): Generator<GeneratedRecord, void, undefined> {
  yield* generateResolved(resolveOptions(options));
}

export function* generateResolved(o: ResolvedOptions): Generator<GeneratedRecord, void, undefined> {
  const planner = new JourneyPlanner({
    seed: o.seed,
    domains: new Set(o.domains),
    termsAgreed: o.extensions.has('terms-agreed'),
  });
  const gap = journeyGapMs(o.ratePerSec);
  const end = o.durationMs === undefined ? Infinity : o.startTime + o.durationMs;
  const faults = anyFaults(o.faults) ? o.faults : { duplicates: 0, outOfOrder: 0, late: 0 };
  const runtimes = new Map<EventTypeDef, TypeRuntime>();
  const runtime = (def: EventTypeDef): TypeRuntime => {
    let r = runtimes.get(def);
    if (!r) {
      const domain = DOMAIN_DEFS[def.domain];
      r = {
        topic: o.topic ?? topicFor(def.domain, o.shape),
        ceType: Buffer.from(def.ceType),
        source: Buffer.from(ceSource(def.domain)),
        dataschema: Buffer.from(dataSchemaUri(domain, def, o.shape)),
      };
      runtimes.set(def, r);
    }
    return r;
  };
  // Journey k starts at startTime + (k + u) * gap, u in [0, 1) from its own stream: never
  // before journey k-1, and independent of every other journey's draws.
  const startOf = (k: number) => o.startTime + Math.floor((k + rngFor(o.seed, 'arrival', k).float()) * gap);

  const heap = new CursorHeap();
  let nextK = 0;
  let nextStart = startOf(0);
  let admitting = true;
  let entitiesLeft = o.entities ?? Infinity;
  let emitted = 0;
  const limit = o.count ?? Infinity;

  for (;;) {
    while (admitting && (heap.size === 0 || nextStart <= heap.peekAt())) {
      if (nextStart >= end) {
        admitting = false;
        break;
      }
      let plans = planner.plan(nextK, nextStart);
      if (plans.length > entitiesLeft) {
        // Keep the entities that begin first, so upstream facts (the user, the order) are
        // never cut while something that depends on them is kept.
        plans = [...plans]
          .sort((a, b) => (a.steps[0]?.ts ?? 0) - (b.steps[0]?.ts ?? 0))
          .slice(0, entitiesLeft);
      }
      entitiesLeft -= plans.length;
      if (plans.length) {
        const events = journeyEvents(plans, planner.userId(nextK), o.shape, o.seed, faults);
        heap.push({ k: nextK, events, i: 0 });
      }
      nextK++;
      nextStart = startOf(nextK);
      if (entitiesLeft <= 0) admitting = false;
    }
    const cur = heap.peek();
    if (!cur) return;
    const ev = cur.events[cur.i] as PlannedEvent;
    if (ev.at >= end) return;
    yield toRecord(ev, runtime(ev.def));
    if (++emitted >= limit) return;
    // Let the emitted event go: a journey's events wait for up to an hour of simulated time,
    // and at high rates thousands of journeys are in flight.
    cur.events[cur.i] = RELEASED;
    cur.i++;
    if (cur.i >= cur.events.length) heap.pop();
    else heap.advanceTop();
  }
}

function toRecord(ev: PlannedEvent, rt: TypeRuntime): GeneratedRecord {
  const entity = ev.entity;
  // One UTF-8 encode per record, then views: ce_id, ce_time and causation_id are ASCII, so
  // their byte offsets are their string lengths. Four small Buffer.from calls cost far more.
  const id = ceIdOf(ev);
  const time = iso(ev.ts);
  const cause = causationOf(ev);
  entity.lastDef = ev.def;
  entity.lastN = ev.n;
  entity.lastId = id;
  // One encode into the slab, then four views on it (no view of the whole in between).
  const start = slab.write(id + time + cause + ev.json);
  const buf = slab.buf;
  const a = start + id.length;
  const b = a + time.length;
  const c = b + cause.length;
  const headers: Record<string, Buffer> = {
    ce_specversion: SPEC,
    ce_id: buf.subarray(start, a),
    ce_source: rt.source,
    ce_type: rt.ceType,
    ce_subject: entity.key,
    ce_time: buf.subarray(a, b),
    ce_dataschema: rt.dataschema,
    'content-type': JSON_TYPE,
    correlation_id: entity.correlation,
    causation_id: buf.subarray(b, c),
  };
  if (ev.fault) headers.eb_fault = FAULT_BUFS[ev.fault];
  return {
    topic: rt.topic,
    key: entity.key,
    value: buf.subarray(c, slab.off),
    timestamp: ev.ts,
    headers,
    type: ev.def.id,
    fault: ev.fault,
  };
}

/**
 * Encodes strings into large shared slabs and hands out views. Buffer.from uses Node's 8 KiB
 * pool, so at a few hundred bytes per record it creates an ArrayBuffer every 20 records, and
 * each one is extra work for the garbage collector; a 256 KiB slab lasts ~600 records.
 */
class Slab {
  buf = Buffer.allocUnsafeSlow(SLAB_SIZE);
  /** End of the last write. */
  off = 0;

  /** Encodes text as UTF-8 after the last write, in a fresh slab when it might not fit; returns where it starts. */
  write(text: string): number {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    const worst = text.length * 3;
    if (this.off + worst > SLAB_SIZE) {
      this.buf = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, worst));
      this.off = 0;
    }
    const start = this.off;
    this.off += this.buf.write(text, start);
    return start;
  }
}

const SLAB_SIZE = 256 * 1024;
const slab = new Slab();

/**
 * A binary min-heap of journey cursors by (emission time of the next event, journey index).
 * Thousands of journeys are in flight; keeping the keys in typed arrays keeps the sift loops in
 * cache instead of chasing a pointer to an event per comparison.
 */
class CursorHeap {
  private cursors: Cursor[] = [];
  private at = new Float64Array(1024);
  private ks = new Float64Array(1024);
  size = 0;

  peek(): Cursor | undefined {
    return this.size ? this.cursors[0] : undefined;
  }
  peekAt(): number {
    return this.at[0] as number;
  }
  push(c: Cursor): void {
    if (this.size === this.at.length) {
      const at = new Float64Array(this.size * 2);
      const ks = new Float64Array(this.size * 2);
      at.set(this.at);
      ks.set(this.ks);
      this.at = at;
      this.ks = ks;
    }
    let i = this.size++;
    const at = (c.events[c.i] as PlannedEvent).at;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pa = this.at[p] as number;
      if (pa < at || (pa === at && (this.ks[p] as number) < c.k)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, c, at);
  }
  /** Removes the top cursor. */
  pop(): void {
    const n = --this.size;
    const last = this.cursors[n] as Cursor;
    this.cursors.length = n;
    if (n > 0) this.sift(last, this.at[n] as number);
  }
  /** The top cursor advanced: re-place it by its next event. */
  advanceTop(): void {
    const c = this.cursors[0] as Cursor;
    this.sift(c, (c.events[c.i] as PlannedEvent).at);
  }
  private sift(c: Cursor, at: number): void {
    const n = this.size;
    const k = c.k;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let m = l;
      if (r < n) {
        const la = this.at[l] as number;
        const ra = this.at[r] as number;
        if (ra < la || (ra === la && (this.ks[r] as number) < (this.ks[l] as number))) m = r;
      }
      const ma = this.at[m] as number;
      if (at < ma || (at === ma && k < (this.ks[m] as number))) break;
      this.move(m, i);
      i = m;
    }
    this.set(i, c, at);
  }
  private move(from: number, to: number): void {
    this.cursors[to] = this.cursors[from] as Cursor;
    this.at[to] = this.at[from] as number;
    this.ks[to] = this.ks[from] as number;
  }
  private set(i: number, c: Cursor, at: number): void {
    this.cursors[i] = c;
    this.at[i] = at;
    this.ks[i] = c.k;
  }
}
