/**
 * A read-only look at a partition log as it lies on disk, for `eventbench broker inspect`: it
 * opens files for reading only and never recovers or truncates, so it is safe while the broker
 * runs. Index files are appended on the broker's flush timer, so their entry counts can lag the
 * log by up to one flush interval; the log end comes from the segment itself.
 */
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_OFFSET, LAST_OFFSET_DELTA, MAX_TIMESTAMP } from '../protocol/record-batch.js';
import { readInt64, scanBatches } from './batch-scan.js';
import { LOG_START_FILE, readNumberFile } from './checkpoints.js';

export interface SegmentFileView {
  baseOffset: number;
  nextOffset: number;
  bytes: number;
  batches: number;
  maxTimestamp: number;
  offsetIndexEntries: number;
  timeIndexEntries: number;
  file: string;
}

export interface PartitionFileView {
  partition: number;
  dir: string;
  logStartOffset: number;
  logEndOffset: number;
  bytes: number;
  segments: SegmentFileView[];
}

const OFFSET_INDEX_ENTRY = 8;
const TIME_INDEX_ENTRY = 12;

export function inspectPartitionFiles(dataDir: string, topic: string): PartitionFileView[] {
  const logDir = join(dataDir, 'log');
  if (!existsSync(logDir)) return [];
  const prefix = `${topic}-`;
  const out: PartitionFileView[] = [];
  for (const name of readdirSync(logDir)) {
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
    const dir = join(logDir, name);
    const segments = readdirSync(dir)
      .filter((f) => /^\d{20}\.log$/.test(f))
      .sort()
      .map((f) => segmentView(dir, f));
    const first = segments[0];
    const last = segments[segments.length - 1];
    out.push({
      partition: Number(name.slice(prefix.length)),
      dir,
      logStartOffset: readNumberFile(dir, LOG_START_FILE) ?? first?.baseOffset ?? 0,
      logEndOffset: last?.nextOffset ?? 0,
      bytes: segments.reduce((n, s) => n + s.bytes, 0),
      segments,
    });
  }
  return out.sort((a, b) => a.partition - b.partition);
}

function segmentView(dir: string, file: string): SegmentFileView {
  const baseOffset = Number(file.slice(0, 20));
  const path = join(dir, file);
  const bytes = statSync(path).size;
  let nextOffset = baseOffset;
  let maxTimestamp = -1;
  let batches = 0;
  const fd = openSync(path, 'r');
  try {
    scanBatches(fd, 0, bytes, false, (buf, pos) => {
      batches++;
      nextOffset = readInt64(buf, pos + BASE_OFFSET) + buf.readInt32BE(pos + LAST_OFFSET_DELTA) + 1;
      maxTimestamp = Math.max(maxTimestamp, readInt64(buf, pos + MAX_TIMESTAMP));
    });
  } finally {
    closeSync(fd);
  }
  const size = (suffix: string) => {
    const p = join(dir, file.replace(/\.log$/, suffix));
    return existsSync(p) ? statSync(p).size : 0;
  };
  return {
    baseOffset,
    nextOffset,
    bytes,
    batches,
    maxTimestamp,
    offsetIndexEntries: Math.floor(size('.index') / OFFSET_INDEX_ENTRY),
    timeIndexEntries: Math.floor(size('.timeindex') / TIME_INDEX_ENTRY),
    file: path,
  };
}
