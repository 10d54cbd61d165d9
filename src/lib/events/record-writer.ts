import type { RecordData } from '../records/jsonl.js';
import { CONTENT_TYPE, HEADERS, SPEC_VERSION, ceSource, dataSchemaUri } from './envelope.js';
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
  /**
   * `headers` as they travel in a Kafka record (magic 2): a varint count, then varint-length name
   * and value per header, in the order of `headers`. `of` is that headers object, so a copy with
   * other headers does not carry stale bytes. A producer copies these instead of encoding.
   */
  readonly wireHeaders: { readonly of: object; readonly bytes: Buffer };
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
  /** The wire form of the headers around the per-record values (see RecordWriter.write). */
  readonly beforeId: Buffer;
  readonly beforeSubject: Buffer;
  readonly beforeCorrelation: Buffer;
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

/** A zig-zag varint of a length (Kafka's record format), as bytes. */
function varint(n: number): number[] {
  const out: number[] = [];
  let z = n * 2;
  while (z >= 0x80) {
    out.push((z & 0x7f) | 0x80);
    z >>>= 7;
  }
  out.push(z);
  return out;
}

function writeLength(buf: Uint8Array, p: number, n: number): number {
  if (n < 64) {
    buf[p] = n * 2;
    return p + 1;
  }
  for (const b of varint(n)) buf[p++] = b;
  return p;
}

/** Wire form of header names and constant values: length-prefixed name, then value if given. */
function wire(...parts: (string | Buffer)[]): Buffer {
  const bytes: number[] = [];
  for (const x of parts) {
    const b = typeof x === 'string' ? Buffer.from(x, 'utf8') : x;
    bytes.push(...varint(b.length), ...b);
  }
  return Buffer.from(bytes);
}

const TIME_NAME = wire(HEADERS.time);
const CAUSATION_NAME = wire(HEADERS.causationId);
const FAULT_WIRE: Readonly<Record<Fault, Buffer>> = {
  duplicate: wire(HEADERS.fault, FAULT_BUFS.duplicate),
  'out-of-order': wire(HEADERS.fault, FAULT_BUFS['out-of-order']),
  late: wire(HEADERS.fault, FAULT_BUFS.late),
};

function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/**
 * Turns planned events into records. The hot path of generation, so it avoids garbage: the
 * headers are written in their Kafka wire form straight into a large shared slab, the JSON value
 * after them, and the record's buffers are views on that slab (the ASCII header values ce_id,
 * ce_time and causation_id lie inside the wire form). Every allocation here is paid again by the
 * garbage collector, which also has to copy the thousands of entities in flight each time it runs.
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
    const correlation = entity.correlation;
    const idLen = key.length + rt.name.length + 2 + digits(ev.n);
    const causeDef = ev.causeDef;
    const causedBy = entity.causedBy;
    const causeLen = causeDef
      ? key.length + this.runtime(causeDef).name.length + 2 + digits(ev.causeN)
      : causedBy !== null
        ? causedBy.length
        : idLen;
    const prefix = this.prefix(ev.ts);
    const timeLen = prefix.length + 7;
    // Worst case: the constant parts plus five lengths of up to 5 bytes, and the JSON, where a
    // UTF-16 unit never takes more than 3 UTF-8 bytes.
    const need =
      rt.beforeId.length +
      rt.beforeSubject.length +
      rt.beforeCorrelation.length +
      TIME_NAME.length +
      CAUSATION_NAME.length +
      16 +
      25 +
      idLen +
      key.length +
      timeLen +
      correlation.length +
      causeLen +
      json.length * 3;
    if (this.off + need > this.buf.length) {
      this.buf = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, need));
      this.off = 0;
    }
    const buf = this.buf;
    const start = this.off;
    // The headers in the order of the headers object below (the order they travel in).
    buf[start] = fault ? 22 : 20; // zig-zag varint header count: 11 or 10
    let p = put(buf, start + 1, rt.beforeId);
    p = writeLength(buf, p, idLen);
    const id = p;
    p = this.id(buf, p, key, rt.name, ev.n);
    const idEnd = p;
    p = put(buf, p, rt.beforeSubject);
    p = writeLength(buf, p, key.length);
    p = copy(buf, p, key);
    p = copy(buf, p, TIME_NAME);
    p = writeLength(buf, p, timeLen);
    const time = p;
    p = this.time(buf, p, ev.ts, prefix);
    const timeEnd = p;
    p = put(buf, p, rt.beforeCorrelation);
    p = writeLength(buf, p, correlation.length);
    p = copy(buf, p, correlation);
    p = copy(buf, p, CAUSATION_NAME);
    p = writeLength(buf, p, causeLen);
    const cause = p;
    if (causeDef) p = this.id(buf, p, key, this.runtime(causeDef).name, ev.causeN);
    else if (causedBy !== null) p += buf.write(causedBy, p, 'latin1');
    else p = copyWithin(buf, p, id, idEnd); // the journey's first event is its own cause
    const causeEnd = p;
    if (fault) p = copy(buf, p, FAULT_WIRE[fault]);
    const headersEnd = p;
    p += buf.write(json, p);
    this.off = p;
    const headers: Record<string, Buffer> = {
      ce_specversion: SPEC,
      ce_id: buf.subarray(id, idEnd),
      ce_source: rt.source,
      ce_type: rt.ceType,
      ce_subject: key,
      ce_time: buf.subarray(time, timeEnd),
      ce_dataschema: rt.dataschema,
      'content-type': JSON_TYPE,
      correlation_id: correlation,
      causation_id: buf.subarray(cause, causeEnd),
    };
    if (fault) headers.eb_fault = FAULT_BUFS[fault];
    return {
      topic: rt.topic,
      key,
      value: buf.subarray(headersEnd, p),
      timestamp: ev.ts,
      headers,
      wireHeaders: { of: headers, bytes: buf.subarray(start, headersEnd) },
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

  /** Date.prototype.toISOString of the ms's minute, up to and including "mm:" (cached). */
  private prefix(ms: number): Uint8Array {
    const inMinute = ((ms % 60_000) + 60_000) % 60_000;
    const minute = (ms - inMinute) / 60_000;
    let prefix = this.minutePrefix.get(minute);
    if (!prefix) {
      // Records come in time order, so few minutes are live at once.
      if (this.minutePrefix.size > 4096) this.minutePrefix.clear();
      prefix = Buffer.from(new Date(ms - inMinute).toISOString().slice(0, -7), 'latin1');
      this.minutePrefix.set(minute, prefix);
    }
    return prefix;
  }

  /** RFC 3339 UTC with milliseconds, byte for byte what Date.prototype.toISOString writes. */
  private time(buf: Buffer, p: number, ms: number, prefix: Uint8Array): number {
    const inMinute = ((ms % 60_000) + 60_000) % 60_000;
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
      const ceType = Buffer.from(def.ceType);
      const source = Buffer.from(ceSource(def.domain));
      const dataschema = Buffer.from(dataSchemaUri(DOMAIN_DEFS[def.domain], def, this.shape));
      r = {
        topic: this.topic ?? topicFor(def.domain, this.shape),
        name: Buffer.from(def.name, 'latin1'),
        ceType,
        source,
        dataschema,
        beforeId: wire(HEADERS.specversion, SPEC, HEADERS.id),
        beforeSubject: wire(HEADERS.source, source, HEADERS.type, ceType, HEADERS.subject),
        beforeCorrelation: wire(
          HEADERS.dataschema,
          dataschema,
          HEADERS.contentType,
          JSON_TYPE,
          HEADERS.correlationId,
        ),
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

/** TypedArray.prototype.set, for the constant runs of header names and values (40-100 bytes). */
function put(dst: Uint8Array, p: number, src: Uint8Array): number {
  dst.set(src, p);
  return p + src.length;
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
  const text = String(n);
  for (let i = 0; i < text.length; i++) buf[p++] = text.charCodeAt(i);
  return p;
}
