import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import type { FetchedRecord } from '../partition-reader.js';
import { Reader, WireFormatError, readInt64 } from './bytes.js';

/**
 * Decodes the record batches of one partition of a Fetch response straight into FetchedRecord
 * objects: numbers for offsets and timestamps, keys, values and header values as views into the
 * response buffer (no copies). Uncompressed and gzip batches; anything else (another codec, a
 * pre-0.11 message set) raises UnsupportedBatchError so the caller can hand the response to
 * kafkajs's own decoder instead.
 */

const gunzip = promisify(gunzipCb);

export class UnsupportedBatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedBatchError';
  }
}

const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
/** baseOffset + batchLength: what must be there to know a batch's size. */
const LOG_OVERHEAD = 12;
const HEADER_SIZE = 61;

export interface DecodedRecords {
  /** Records of data batches in offset order (control batches are left out). */
  records: FetchedRecord[];
  /**
   * The offset after the last complete batch, or null when no batch was complete. Control batches
   * and records removed by compaction still move it, so a reader never asks for them again.
   */
  nextOffset: number | null;
}

/**
 * Batches in buf[start, end). Kafka may cut the last batch short when it hits the fetch's size
 * limit; a partial batch at the end is not an error, it is fetched again next time.
 */
export async function decodeRecordBatches(
  buf: Buffer,
  start: number,
  end: number,
  topic: string,
  partition: number,
): Promise<DecodedRecords> {
  const records: FetchedRecord[] = [];
  let nextOffset: number | null = null;
  let pos = start;
  while (pos + LOG_OVERHEAD <= end) {
    const baseOffset = readInt64(buf, pos);
    const batchEnd = pos + LOG_OVERHEAD + buf.readInt32BE(pos + 8);
    if (batchEnd > end || pos + HEADER_SIZE > end) break;
    const magic = buf[pos + 16];
    if (magic !== 2) throw new UnsupportedBatchError(`message format v${magic} (only record batches, v2)`);
    const attributes = buf.readInt16BE(pos + 21);
    const lastOffsetDelta = buf.readInt32BE(pos + 23);
    nextOffset = baseOffset + lastOffsetDelta + 1;
    // Control batches hold transaction markers, not data (KIP-98).
    if (attributes & 0x20) {
      pos = batchEnd;
      continue;
    }
    const codec = attributes & 0x07;
    const baseTimestamp = readInt64(buf, pos + 27);
    // Log-append time (attribute bit 3): every record's timestamp is the batch's max timestamp.
    const appendTime = attributes & 0x08 ? readInt64(buf, pos + 35) : null;
    const count = buf.readInt32BE(pos + 57);
    let r: Reader;
    if (codec === 0) r = new Reader(buf, pos + HEADER_SIZE, batchEnd);
    else if (codec === 1) {
      const plain = await gunzip(buf.subarray(pos + HEADER_SIZE, batchEnd));
      r = new Reader(plain);
    } else {
      throw new UnsupportedBatchError(`${CODEC_NAMES[codec] ?? `codec ${codec}`} compression`);
    }
    decodeRecords(r, count, baseOffset, baseTimestamp, appendTime, topic, partition, records);
    pos = batchEnd;
  }
  return { records, nextOffset };
}

function decodeRecords(
  r: Reader,
  count: number,
  baseOffset: number,
  baseTimestamp: number,
  appendTime: number | null,
  topic: string,
  partition: number,
  out: FetchedRecord[],
): void {
  const buf = r.buf;
  for (let i = 0; i < count; i++) {
    const length = r.varint();
    const recordEnd = r.pos + length;
    if (length < 0 || recordEnd > r.end)
      throw new WireFormatError(`record length ${length} runs past its batch`);
    r.pos++; // record attributes: unused
    const timestampDelta = r.varlong();
    const offsetDelta = r.varint();
    const keyLength = r.varint();
    let key: Buffer | null = null;
    if (keyLength >= 0) {
      r.need(keyLength);
      key = buf.subarray(r.pos, (r.pos += keyLength));
    }
    const valueLength = r.varint();
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      r.need(valueLength);
      value = buf.subarray(r.pos, (r.pos += valueLength));
    }
    const headerCount = r.varint();
    const headers = headerCount > 0 ? decodeHeaders(r, headerCount) : {};
    if (r.pos !== recordEnd)
      throw new WireFormatError(`record ends at ${r.pos}, its length says ${recordEnd}`);
    out.push({
      topic,
      partition,
      offset: baseOffset + offsetDelta,
      timestamp: appendTime ?? baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
}

/** A header name that repeats becomes an array of its values, in wire order. */
function decodeHeaders(r: Reader, count: number): Record<string, Buffer | null | (Buffer | null)[]> {
  const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
  for (let i = 0; i < count; i++) {
    const nameLength = r.varint();
    if (nameLength < 0) throw new WireFormatError('header with a null name');
    r.need(nameLength);
    const name = r.buf.toString('utf8', r.pos, (r.pos += nameLength));
    const valueLength = r.varint();
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      r.need(valueLength);
      value = r.buf.subarray(r.pos, (r.pos += valueLength));
    }
    if (!Object.prototype.hasOwnProperty.call(headers, name)) {
      if (name !== '__proto__') headers[name] = value;
      // A header named "__proto__" stays data instead of becoming the object's prototype.
      else
        Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true });
    } else {
      const prev = headers[name];
      if (Array.isArray(prev)) prev.push(value);
      else headers[name] = [prev as Buffer | null, value];
    }
  }
  return headers;
}
