import type { RecordData } from '../records/jsonl.js';
import { CONTENT_TYPE, SPEC_VERSION, ceSource, dataSchemaUri } from './envelope.js';
import { DOMAIN_DEFS } from './registry.js';
import { notificationValue } from './shapes.js';
import type { PlannedEvent } from './stream.js';
import { topicFor } from './topics.js';
import type { EventTypeDef, Fault, Shape } from './types.js';

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

interface TypeRuntime {
  readonly topic: string;
  readonly name: Uint8Array;
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
const COLON = 0x3a;
const ZERO = 0x30;
const SLAB_SIZE = 256 * 1024;

/**
 * Turns planned events into records. The hot path of generation, so it avoids garbage: the
 * ASCII headers (ce_id, ce_time, causation_id) are written as bytes straight into a large shared
 * slab, the JSON value is encoded after them, and the record's buffers are four views on that
 * slab. Every allocation here is paid again by the garbage collector, which also has to copy the
 * thousands of entities in flight each time it runs.
 */
export class RecordWriter {
  private buf = Buffer.allocUnsafeSlow(SLAB_SIZE);
  private off = 0;
  private readonly runtimes = new Map<EventTypeDef, TypeRuntime>();
  private readonly minutePrefix = new Map<number, Uint8Array>();

  constructor(
    private readonly shape: Shape,
    private readonly topic: string | undefined,
  ) {}

  write(ev: PlannedEvent, fault: Fault | undefined): GeneratedRecord {
    const entity = ev.entity;
    const rt = this.runtime(ev.def);
    const shape = this.shape;
    const json = JSON.stringify(
      shape === 'sourcing'
        ? ev.data
        : shape === 'state'
          ? ev.state
          : notificationValue(entity.domain, ev.def, entity.id, entity.links),
    );
    const key = entity.key;
    // Worst case: the ids and time are ASCII, a UTF-16 unit never takes more than 3 UTF-8 bytes.
    const need = 2 * (key.length + 48) + 24 + (entity.causedBy?.length ?? 0) + json.length * 3;
    if (this.off + need > this.buf.length) {
      this.buf = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, need));
      this.off = 0;
    }
    const buf = this.buf;
    const start = this.off;
    let p = this.id(buf, start, key, rt.name, ev.n);
    const a = p;
    p = this.time(buf, p, ev.ts);
    const b = p;
    if (ev.causeDef) p = this.id(buf, p, key, this.runtime(ev.causeDef).name, ev.causeN);
    else if (entity.causedBy !== null) p += buf.write(entity.causedBy, p, 'latin1');
    else p = copyWithin(buf, p, start, a); // the journey's first event is its own cause
    const c = p;
    p += buf.write(json, p);
    this.off = p;
    const headers: Record<string, Buffer> = {
      ce_specversion: SPEC,
      ce_id: buf.subarray(start, a),
      ce_source: rt.source,
      ce_type: rt.ceType,
      ce_subject: key,
      ce_time: buf.subarray(a, b),
      ce_dataschema: rt.dataschema,
      'content-type': JSON_TYPE,
      correlation_id: entity.correlation,
      causation_id: buf.subarray(b, c),
    };
    if (fault) headers.eb_fault = FAULT_BUFS[fault];
    return {
      topic: rt.topic,
      key,
      value: buf.subarray(c, p),
      timestamp: ev.ts,
      headers,
      type: ev.def.id,
      fault,
    };
  }

  /** `<entity id>:<type name>:<n>` (see eventId). */
  private id(buf: Buffer, p: number, key: Uint8Array, name: Uint8Array, n: number): number {
    p = copy(buf, p, key);
    buf[p++] = COLON;
    p = copy(buf, p, name);
    buf[p++] = COLON;
    return writeUint(buf, p, n);
  }

  /** RFC 3339 UTC with milliseconds, byte for byte what Date.prototype.toISOString writes. */
  private time(buf: Buffer, p: number, ms: number): number {
    const inMinute = ((ms % 60_000) + 60_000) % 60_000;
    const minute = (ms - inMinute) / 60_000;
    let prefix = this.minutePrefix.get(minute);
    if (!prefix) {
      // Records come in time order, so few minutes are live at once.
      if (this.minutePrefix.size > 4096) this.minutePrefix.clear();
      prefix = Buffer.from(new Date(ms - inMinute).toISOString().slice(0, -7), 'latin1');
      this.minutePrefix.set(minute, prefix);
    }
    p = copy(buf, p, prefix);
    const milli = inMinute % 1000;
    const sec = (inMinute - milli) / 1000;
    buf[p++] = ZERO + ((sec / 10) | 0);
    buf[p++] = ZERO + (sec % 10);
    buf[p++] = 0x2e; // '.'
    buf[p++] = ZERO + ((milli / 100) | 0);
    buf[p++] = ZERO + (((milli / 10) | 0) % 10);
    buf[p++] = ZERO + (milli % 10);
    buf[p++] = 0x5a; // 'Z'
    return p;
  }

  private runtime(def: EventTypeDef): TypeRuntime {
    let r = this.runtimes.get(def);
    if (!r) {
      r = {
        topic: this.topic ?? topicFor(def.domain, this.shape),
        name: Buffer.from(def.name, 'latin1'),
        ceType: Buffer.from(def.ceType),
        source: Buffer.from(ceSource(def.domain)),
        dataschema: Buffer.from(dataSchemaUri(DOMAIN_DEFS[def.domain], def, this.shape)),
      };
      this.runtimes.set(def, r);
    }
    return r;
  }
}

/** A byte loop: for the dozen bytes of an id it beats TypedArray.prototype.set's call overhead. */
function copy(dst: Uint8Array, p: number, src: Uint8Array): number {
  const n = src.length;
  for (let i = 0; i < n; i++) dst[p + i] = src[i] as number;
  return p + n;
}

function copyWithin(buf: Uint8Array, p: number, from: number, to: number): number {
  for (let i = from; i < to; i++) buf[p++] = buf[i] as number;
  return p;
}

function writeUint(buf: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    buf[p] = ZERO + n;
    return p + 1;
  }
  const digits = String(n);
  for (let i = 0; i < digits.length; i++) buf[p++] = digits.charCodeAt(i);
  return p;
}
