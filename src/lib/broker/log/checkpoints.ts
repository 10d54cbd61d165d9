/**
 * Per-partition checkpoint files, each one number written atomically:
 *   log-start-offset  the log start offset moved by DeleteRecords or retention;
 *   recovery-point    every segment below this offset was fsynced with its indexes, so
 *                     recovery after a crash only re-checks segments from here on (Kafka's
 *                     recovery-point-offset-checkpoint, per partition).
 * And producer-state.json, the idempotent-producer state written at clean shutdown.
 */
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file.js';
import type { Snapshot } from './producer-state.js';

export const LOG_START_FILE = 'log-start-offset';
export const RECOVERY_POINT_FILE = 'recovery-point';
export const PRODUCER_STATE_FILE = 'producer-state.json';

export function readNumberFile(dir: string, name: string): number | undefined {
  const text = readFileIfExists(join(dir, name));
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export function writeNumberFile(dir: string, name: string, n: number): void {
  writeFileAtomic(join(dir, name), `${n}\n`);
}

export interface ProducerSnapshotFile {
  readonly endOffset: number;
  readonly producers: Snapshot;
}

export function readProducerSnapshot(dir: string): ProducerSnapshotFile | undefined {
  const text = readFileIfExists(join(dir, PRODUCER_STATE_FILE));
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as ProducerSnapshotFile;
    return typeof v.endOffset === 'number' && Array.isArray(v.producers) ? v : undefined;
  } catch {
    return undefined; // a damaged snapshot is rebuilt from the log
  }
}

export function writeProducerSnapshot(dir: string, s: ProducerSnapshotFile): void {
  writeFileAtomic(join(dir, PRODUCER_STATE_FILE), JSON.stringify(s));
}
