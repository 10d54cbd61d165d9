/**
 * Retention (cleanup.policy=delete), as Kafka's UnifiedLog.deleteOldSegments: first segments
 * older than retention.ms, then the oldest segments while the partition stays at or above
 * retention.bytes, deleting whole segments only. A segment's age is its largest record timestamp
 * (file mtime when it has none), as Kafka's LogSegment.largestTimestamp.
 *
 * The active segment counts too when it is non-empty: if it has expired we roll first and delete
 * it, as Kafka does, so that after retention the old records are really gone and the log start
 * moves to the end (the partition is then empty, its offsets keep counting from there).
 * -1 disables either limit. cleanup.policy=compact is stored but not acted on: such topics are
 * never deleted by retention here (Kafka would compact them instead).
 */
import { statSync } from 'node:fs';
import type { PartitionLog } from './partition-log.js';
import type { Segment } from './segment.js';

function largestTimestamp(seg: Segment): number {
  if (seg.maxTimestamp >= 0) return seg.maxTimestamp;
  try {
    return statSync(seg.logPath).mtimeMs;
  } catch {
    return Date.now();
  }
}

/** How many leading segments `shouldDelete` allows, skipping an empty active segment. */
function countDeletable(log: PartitionLog, shouldDelete: (seg: Segment) => boolean): number {
  let n = 0;
  for (const seg of log.segments) {
    const last = seg === log.active;
    if (last && seg.isEmpty()) break;
    if (!shouldDelete(seg)) break;
    n++;
  }
  return n;
}

function deleteSegments(log: PartitionLog, n: number): number {
  if (n === 0) return 0;
  if (n === log.segments.length) log.roll();
  log.deleteOldest(n);
  return n;
}

/** Applies retention.ms then retention.bytes to one partition; returns segments deleted. */
export function enforcePartitionRetention(log: PartitionLog, nowMs: number, compact: boolean): number {
  if (compact) return 0;
  const { retentionMs, retentionBytes } = log.config;
  let deleted = 0;
  if (retentionMs >= 0 && Number.isFinite(retentionMs)) {
    deleted += deleteSegments(
      log,
      countDeletable(log, (seg) => nowMs - largestTimestamp(seg) > retentionMs),
    );
  }
  if (retentionBytes >= 0 && Number.isFinite(retentionBytes)) {
    let excess = log.bytes - retentionBytes;
    deleted += deleteSegments(
      log,
      countDeletable(log, (seg) => {
        if (excess - seg.size < 0) return false;
        excess -= seg.size;
        return true;
      }),
    );
  }
  return deleted;
}
