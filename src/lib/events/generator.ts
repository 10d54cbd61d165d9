import type { RecordData } from '../records/jsonl.js';
import { CONTENT_TYPE, SPEC_VERSION, ceSource, dataSchemaUri } from './envelope.js';
import { anyFaults } from './faults.js';
import { resolveOptions, type GenerateOptions, type ResolvedOptions } from './options.js';
import { Journey, World, type EntitySink } from './plan/journey.js';
import { rngFor } from './prng.js';
import { DOMAIN_DEFS } from './registry.js';
import { notificationValue } from './shapes.js';
import { SourceHeap } from './source-heap.js';
import {
  EntityCursor,
  causationOf,
  ceIdOf,
  type Emission,
  type Source,
  type StreamContext,
} from './stream.js';
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

const SPEC = Buffer.from(SPEC_VERSION);
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
  const world = new World({
    seed: o.seed,
    domains: new Set(o.domains),
    termsAgreed: o.extensions.has('terms-agreed'),
  });
  const ctx: StreamContext = { seed: o.seed, shape: o.shape, faults: anyFaults(o.faults) ? o.faults : null };
  const gap = journeyGapMs(o.ratePerSec);
  const end = o.durationMs === undefined ? Infinity : o.startTime + o.durationMs;
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

  const heap = new SourceHeap();
  /** Sources created while the heap's top is being worked on; pushed once it is back in place. */
  const fresh: Source[] = [];
  let entitiesLeft = o.entities ?? Infinity;
  const correlations = new WeakMap<Journey, Buffer>();
  const sink: EntitySink = (spec, emit) => {
    if (!emit) {
      // An unselected entity still happens (its facts start selected ones); plan it through.
      for (const step of spec.steps) spec.journey.onStep(spec, step);
      spec.journey.onDone(spec);
      return;
    }
    if (entitiesLeft <= 0) return;
    // Count the entity before planning its first step: that step may start others, and an
    // upstream entity must never be the one cut by the limit.
    entitiesLeft--;
    let corr = correlations.get(spec.journey);
    if (!corr) correlations.set(spec.journey, (corr = Buffer.from(spec.journey.correlationId)));
    const cursor = new EntityCursor(spec, corr, ctx);
    if (cursor.start(fresh)) fresh.push(cursor);
    else entitiesLeft++;
  };
  const flush = () => {
    for (const s of fresh) heap.push(s);
    fresh.length = 0;
  };

  let nextK = 0;
  let nextStart = startOf(0);
  let admitting = true;
  let emitted = 0;
  const limit = o.count ?? Infinity;
  for (;;) {
    while (admitting && (heap.size === 0 || nextStart <= heap.peekAt())) {
      if (nextStart >= end) {
        admitting = false;
        break;
      }
      new Journey(world, nextK, nextStart, sink).start();
      flush();
      nextK++;
      nextStart = startOf(nextK);
      if (entitiesLeft <= 0) admitting = false;
    }
    const top = heap.peek();
    if (!top) return;
    const em = top.current();
    if (em.at >= end) return;
    yield toRecord(em, runtime(em.ev.def), o.shape);
    if (++emitted >= limit) return;
    if (top.advance(fresh)) heap.advanceTop();
    else heap.pop();
    if (fresh.length) flush();
  }
}

function toRecord(em: Emission, rt: TypeRuntime, shape: ResolvedOptions['shape']): GeneratedRecord {
  const ev = em.ev;
  const entity = ev.entity;
  const json = JSON.stringify(
    shape === 'sourcing'
      ? ev.data
      : shape === 'state'
        ? ev.state
        : notificationValue(entity.domain, ev.def, entity.id, entity.links),
  );
  // One UTF-8 encode per record, then views: ce_id, ce_time and causation_id are ASCII, so
  // their byte offsets are their string lengths. Four small Buffer.from calls cost far more.
  const id = ceIdOf(ev);
  const time = iso(ev.ts);
  const cause = causationOf(ev);
  entity.lastDef = ev.def;
  entity.lastN = ev.n;
  entity.lastId = id;
  // One encode into the slab, then four views on it (no view of the whole in between).
  const start = slab.write(id + time + cause + json);
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
  if (em.fault) headers.eb_fault = FAULT_BUFS[em.fault];
  return {
    topic: rt.topic,
    key: entity.key,
    value: buf.subarray(c, slab.off),
    timestamp: ev.ts,
    headers,
    type: ev.def.id,
    fault: em.fault,
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
