import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProducerIdSource } from './context.js';

/**
 * Writes a small metadata file atomically: a temp file is written and fsynced, then renamed over
 * the old one, so a crash leaves either the old or the new content, never a torn file.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(content, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

async function readJson(path: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * The cluster id, created once per data directory (like Kafka's meta.properties): 16 random
 * bytes in URL-safe base64 without padding, the shape of Kafka's Uuid-based cluster ids.
 */
export async function loadClusterId(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'cluster.json');
  const found = await readJson(path);
  if (found && typeof found.clusterId === 'string') return found.clusterId;
  const clusterId = randomBytes(16).toString('base64url');
  await writeFileAtomic(path, `${JSON.stringify({ clusterId })}\n`);
  return clusterId;
}

/** Ids reserved per write of the counter file, as Kafka's controller hands out id blocks. */
const BLOCK = 1000n;

/**
 * Producer ids that survive restarts: the file holds the first id not yet reserved; ids are
 * handed out from an in-memory block and a new block is reserved (file rewritten atomically)
 * before any of its ids is used. A crash skips the rest of a block, never reuses an id.
 */
export async function openProducerIds(dataDir: string): Promise<ProducerIdSource> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'producer-ids.json');
  const found = await readJson(path);
  let next = found && typeof found.nextBlock === 'string' ? BigInt(found.nextBlock) : 0n;
  let blockEnd = next;
  let chain: Promise<unknown> = Promise.resolve();

  const take = async (): Promise<bigint> => {
    if (next >= blockEnd) {
      const end = next + BLOCK;
      await writeFileAtomic(path, `${JSON.stringify({ nextBlock: end.toString() })}\n`);
      blockEnd = end;
    }
    return next++;
  };
  return {
    next() {
      // Serialized, so two requests never reserve a block each for the same range.
      const p = chain.then(take);
      chain = p.catch(() => undefined);
      return p;
    },
  };
}
