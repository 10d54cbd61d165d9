/**
 * Opening a partition directory, and recovering it after a crash.
 *
 * Clean start (the store found its `.clean-shutdown` marker): indexes are trusted; the last
 * segment is walked, headers only, from its last offset-index entry to the end, to find the log
 * end offset. Producer state comes from the snapshot written at close.
 *
 * Unclean start (no marker: the process or machine died): every segment from the recovery point
 * on — normally just the last one; two if we crashed right after a roll — is read in full, each
 * batch's CRC-32C checked and its offsets checked to follow the previous batch; its indexes are
 * rebuilt from scratch. At the first torn, corrupt or out-of-sequence batch the segment is
 * truncated there (ftruncate) and any later segments deleted: everything before it is kept.
 * Segments below the recovery point were fsynced with their indexes when they were sealed, so
 * they are not re-read (Kafka's recovery point, which keeps restarts of big logs fast).
 * Producer state is rebuilt from the batch headers of the last two segments.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE_OFFSET,
  BASE_SEQUENCE,
  LAST_OFFSET_DELTA,
  PRODUCER_EPOCH,
  PRODUCER_ID,
} from '../protocol/record-batch.js';
import { readInt64, scanBatches, type ScanEnd } from './batch-scan.js';
import {
  LOG_START_FILE,
  RECOVERY_POINT_FILE,
  readNumberFile,
  readProducerSnapshot,
  writeNumberFile,
} from './checkpoints.js';
import { ProducerState } from './producer-state.js';
import { Segment } from './segment.js';

export interface LoadedPartition {
  readonly segments: Segment[];
  readonly logStartOffset: number;
  readonly producers: ProducerState;
  /** What recovery did, for the broker's log: bytes cut from torn tails, segments dropped. */
  readonly truncatedBytes: number;
  readonly droppedSegments: number;
}

const SEGMENT_FILE = /^(\d{20})\.(log|index|timeindex)$/;

/**
 * Walks a segment's batches from file position `from` (whose batch must start at `firstBase`),
 * tracking offsets, max timestamp and index entries. Returns why it stopped early, or null.
 */
function walk(seg: Segment, from: number, firstBase: number, verify: boolean, interval: number): ScanEnd {
  let expected = firstBase;
  const r = scanBatches(seg.handle(), from, seg.size, verify, (buf, pos, filePos, size) => {
    if (readInt64(buf, pos + BASE_OFFSET) !== expected) return false;
    seg.track(buf, pos, filePos, size, interval);
    expected = seg.nextOffset;
    return true;
  });
  if (r.end >= seg.size) return r;
  return {
    end: r.end,
    fault: r.fault ?? `batch at ${r.end} does not continue the offsets (want ${expected})`,
  };
}

/** Rebuilds a segment's indexes and offsets from its data, verifying every batch. */
function recoverSegment(seg: Segment, interval: number): string | null {
  seg.offsetIndex.truncateToRel(0);
  seg.timeIndex.truncateToRel(0);
  seg.nextOffset = seg.baseOffset;
  seg.maxTimestamp = -1;
  seg.offsetOfMaxTimestamp = seg.baseOffset;
  seg.bytesSinceIndexEntry = 0;
  const r = walk(seg, 0, seg.baseOffset, true, interval);
  if (r.fault !== null) seg.truncateTo(r.end, seg.nextOffset);
  return r.fault;
}

/**
 * Clean start, last segment: a header walk from the last index entry. Anything unexpected
 * there (we shut down cleanly, so nothing should be) falls back to a full recovery.
 */
function resumeSegment(seg: Segment, interval: number): string | null {
  const n = seg.offsetIndex.count;
  if (n === 0) return recoverSegment(seg, interval);
  seg.nextOffset = seg.baseOffset + seg.offsetIndex.lastRel();
  seg.maxTimestamp = seg.timeIndex.count > 0 ? seg.timeIndex.lastTimestamp() : -1;
  seg.offsetOfMaxTimestamp = seg.baseOffset + Math.max(0, seg.timeIndex.lastRel());
  seg.bytesSinceIndexEntry = 0;
  const r = walk(seg, seg.offsetIndex.lastPosition(), seg.nextOffset, false, interval);
  return r.fault === null ? null : recoverSegment(seg, interval);
}

/** A sealed segment's end is the next one's base; its max timestamp the last time-index entry. */
function settleSealed(seg: Segment, nextBase: number, interval: number): string | null {
  // No time index (a crash before it was written): derive everything from the data once.
  if (seg.timeIndex.count === 0 && seg.size > 0) return recoverSegment(seg, interval);
  seg.nextOffset = nextBase;
  seg.maxTimestamp = seg.timeIndex.count > 0 ? seg.timeIndex.lastTimestamp() : -1;
  seg.offsetOfMaxTimestamp = seg.baseOffset + Math.max(0, seg.timeIndex.lastRel());
  return null;
}

function rebuildProducers(segments: Segment[], producers: ProducerState): void {
  for (const seg of segments.slice(-2)) {
    scanBatches(seg.handle(), 0, seg.size, false, (buf, pos) => {
      const pid = readInt64(buf, pos + PRODUCER_ID);
      if (pid >= 0) {
        producers.replay(
          pid,
          buf.readInt16BE(pos + PRODUCER_EPOCH),
          buf.readInt32BE(pos + BASE_SEQUENCE),
          buf.readInt32BE(pos + LAST_OFFSET_DELTA),
          readInt64(buf, pos + BASE_OFFSET),
        );
      }
    });
  }
}

export function loadPartition(dir: string, clean: boolean, indexIntervalBytes: number): LoadedPartition {
  const bases = new Set<number>();
  const logs = new Set<number>();
  for (const name of readdirSync(dir)) {
    const m = SEGMENT_FILE.exec(name);
    if (m) {
      bases.add(Number(m[1]));
      if (m[2] === 'log') logs.add(Number(m[1]));
    } else if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
  }
  // Index files without their log are leftovers of a deletion cut short.
  for (const b of bases) {
    if (!logs.has(b))
      for (const s of ['.index', '.timeindex'])
        rmSync(join(dir, `${String(b).padStart(20, '0')}${s}`), { force: true });
  }
  const sorted = [...logs].sort((a, b) => a - b);
  const checkpointStart = readNumberFile(dir, LOG_START_FILE) ?? 0;
  if (sorted.length === 0) {
    const seg = Segment.create(dir, checkpointStart);
    return {
      segments: [seg],
      logStartOffset: checkpointStart,
      producers: new ProducerState(),
      truncatedBytes: 0,
      droppedSegments: 0,
    };
  }
  const segments = sorted.map((b) => Segment.open(dir, b));
  const recoveryPoint = clean ? Infinity : (readNumberFile(dir, RECOVERY_POINT_FILE) ?? 0);
  let truncatedBytes = 0;
  let droppedSegments = 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const next = segments[i + 1];
    const needsRecovery = !clean && (next === undefined || next.baseOffset > recoveryPoint);
    const sizeBefore = seg.size;
    const fault = needsRecovery
      ? recoverSegment(seg, indexIntervalBytes)
      : next
        ? settleSealed(seg, next.baseOffset, indexIntervalBytes)
        : resumeSegment(seg, indexIntervalBytes);
    truncatedBytes += sizeBefore - seg.size;
    if (fault && next) {
      // Later segments cannot follow a hole: drop them, as Kafka's recovery does.
      for (const s of segments.splice(i + 1)) {
        truncatedBytes += s.size;
        s.delete();
        droppedSegments++;
      }
    }
  }
  const last = segments[segments.length - 1]!;
  const logStartOffset = Math.min(Math.max(checkpointStart, segments[0]!.baseOffset), last.nextOffset);
  const producers = new ProducerState();
  const snap = clean ? readProducerSnapshot(dir) : undefined;
  if (snap && snap.endOffset === last.nextOffset) producers.restore(snap.producers);
  else rebuildProducers(segments, producers);
  if (!clean) writeNumberFile(dir, RECOVERY_POINT_FILE, last.baseOffset);
  return { segments, logStartOffset, producers, truncatedBytes, droppedSegments };
}
