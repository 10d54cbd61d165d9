import { anyFaults } from './faults.js';
import { resolveOptions, type GenerateOptions, type ResolvedOptions } from './options.js';
import { Journey, World, type EntitySink } from './plan/journey.js';
import { rngFor } from './prng.js';
import { RecordWriter, type GeneratedRecord } from './record-writer.js';
import { SourceHeap } from './source-heap.js';
import { EntityCursor, type Source, type StreamContext } from './stream.js';
import { DOMAINS, type DomainName } from './types.js';

export type { GeneratedRecord } from './record-writer.js';

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
  const writer = new RecordWriter(o.shape, o.topic);
  for (const s of emissions(o)) yield writer.write(s.ev, s.fault);
}

/**
 * The same run shifted so its newest event is at `end` (whole seconds): a stream's span does not
 * depend on where it starts. Walks the timeline without writing any record.
 */
export function endingAt(o: ResolvedOptions, end: number): ResolvedOptions {
  let last = o.startTime;
  for (const s of emissions(o)) if (s.ev.ts > last) last = s.ev.ts;
  return { ...o, startTime: Math.floor((end - (last - o.startTime)) / 1000) * 1000 };
}

/** The timeline: each emission in order, read before the generator resumes. */
function* emissions(o: ResolvedOptions): Generator<Source, void, undefined> {
  const world = new World({
    seed: o.seed,
    domains: new Set(o.domains),
    termsAgreed: o.extensions.has('terms-agreed'),
  });
  const ctx: StreamContext = { seed: o.seed, shape: o.shape, faults: anyFaults(o.faults) ? o.faults : null };
  const gap = journeyGapMs(o.ratePerSec);
  const end = o.durationMs === undefined ? Infinity : o.startTime + o.durationMs;
  // Journey k starts at startTime + (k + u) * gap, u in [0, 1) from its own stream: never
  // before journey k-1, and independent of every other journey's draws.
  const startOf = (k: number) => o.startTime + Math.floor((k + rngFor(o.seed, 'arrival', k).float()) * gap);

  const heap = new SourceHeap();
  /** Sources created while the heap's top is being worked on; pushed once it is back in place. */
  const fresh: Source[] = [];
  let entitiesLeft = o.entities ?? Infinity;
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
    const cursor = new EntityCursor(spec, ctx);
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
    if (top.at >= end) return;
    yield top;
    if (++emitted >= limit) return;
    if (top.advance(fresh)) heap.advanceTop();
    else heap.pop();
    if (fresh.length) flush();
  }
}
