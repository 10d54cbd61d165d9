import { spawn } from 'node:child_process';
import {
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRecordBatch } from '../../../../src/lib/broker/protocol/record-batch.js';
import { batch, open, readAll, tempDir } from './helpers.js';

const partDir = (dir: string, topic = 't', p = 0) => join(dir, 'log', `${topic}-${p}`);
const segFiles = (dir: string, ext: string) =>
  readdirSync(partDir(dir))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => join(partDir(dir), f));

/** Writes 10 batches of 3 records (values b<i>-<j>) to t-0 and closes cleanly. */
async function tenBatches(segmentBytes = 1 << 20) {
  const dir = tempDir();
  const s = await open(dir, { segmentBytes });
  s.createTopic('t', 1, { 'index.interval.bytes': '0' });
  const sizes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const b = batch(3, 1000 + i, `b${i}`);
    sizes.push(b.length);
    await s.append('t', 0, b, 'none');
  }
  await s.close();
  return { dir, sizes };
}

/** Makes the last shutdown look like a crash. */
function unclean(dir: string): void {
  unlinkSync(join(dir, '.clean-shutdown'));
}

describe('restart', () => {
  it('sees the same topics, ids, configs, data, log start and end', async () => {
    const dir = tempDir();
    const s = await open(dir, { segmentBytes: 1024 });
    const a = s.createTopic('alpha', 3, { 'retention.ms': '1000000' });
    s.createTopic('beta.events', 1, {});
    s.alterConfigs('beta.events', { 'cleanup.policy': 'compact' }, false);
    for (let i = 0; i < 30; i++) await s.append('alpha', i % 3, batch(4, 5000 + i, `a${i}`), 'none');
    s.deleteRecords('alpha', 1, 9n);
    const before = {
      topics: s.listTopics().sort((x, y) => x.name.localeCompare(y.name)),
      configs: s.describeConfigs('beta.events'),
      views: s.inspect('alpha').map((v) => ({ ...v, segments: v.segments.map((x) => ({ ...x })) })),
      data: [0, 1, 2].map((p) => readAll(s, 'alpha', p, s.logStartOffset('alpha', p))),
      ts: s.offsetForTimestamp('alpha', 2, 5020n),
    };
    await s.close();
    expect(existsSync(join(dir, '.clean-shutdown'))).toBe(true);
    const s2 = await open(dir, { segmentBytes: 1024 });
    expect(existsSync(join(dir, '.clean-shutdown')), 'marker removed while running').toBe(false);
    expect(s2.listTopics().sort((x, y) => x.name.localeCompare(y.name))).toEqual(before.topics);
    expect(s2.getTopicById(a.id)?.name).toBe('alpha');
    expect(s2.describeConfigs('beta.events')).toEqual(before.configs);
    expect(s2.inspect('alpha')).toEqual(before.views);
    expect([0, 1, 2].map((p) => readAll(s2, 'alpha', p, s2.logStartOffset('alpha', p)))).toEqual(before.data);
    expect(s2.logStartOffset('alpha', 1)).toBe(9n);
    expect(s2.offsetForTimestamp('alpha', 2, 5020n)).toEqual(before.ts);
    expect((await s2.append('alpha', 0, batch(1, 1), 'none')).baseOffset).toBe(40n);
  });

  it('deleted topics stay deleted; partitions added stay added', async () => {
    const dir = tempDir();
    const s = await open(dir);
    s.createTopic('gone', 2, {});
    s.createTopic('grow', 1, {});
    s.createPartitions('grow', 4);
    await s.append('grow', 3, batch(2, 1), 'none');
    s.deleteTopic('gone');
    expect(existsSync(join(dir, 'log', 'gone-0'))).toBe(false);
    await s.close();
    const s2 = await open(dir);
    expect(s2.getTopic('gone')).toBeUndefined();
    expect(s2.getTopic('grow')?.partitions).toBe(4);
    expect(s2.logEndOffset('grow', 3)).toBe(2n);
  });

  it('topics.json is replaced by rename, and a stale temp file is ignored', async () => {
    const dir = tempDir();
    const s = await open(dir);
    s.createTopic('one', 1, {});
    const ino = statSync(join(dir, 'topics.json')).ino;
    s.createTopic('two', 1, {});
    expect(statSync(join(dir, 'topics.json')).ino, 'a new file, not an in-place rewrite').not.toBe(ino);
    expect(readdirSync(dir).filter((f) => f.includes('tmp'))).toEqual([]);
    await s.close();
    // A crash mid-write leaves at most a torn temp file next to the intact topics.json.
    writeFileSync(join(dir, '.topics.json.tmp'), '{"version":1,"topics":[{"na');
    const s2 = await open(dir);
    expect(
      s2
        .listTopics()
        .map((t) => t.name)
        .sort(),
    ).toEqual(['one', 'two']);
    expect(JSON.parse(readFileSync(join(dir, 'topics.json'), 'utf8')).topics).toHaveLength(2);
  });
});

describe('recovery after a crash', () => {
  it('a segment cut mid-batch loses only the torn batch', async () => {
    const { dir, sizes } = await tenBatches();
    const [log] = segFiles(dir, '.log');
    const full = sizes.reduce((a, b) => a + b, 0);
    truncateSync(log!, full - 10);
    unclean(dir);
    const s = await open(dir);
    expect(s.logEndOffset('t', 0)).toBe(27n);
    expect(statSync(log!).size, 'torn tail cut off').toBe(full - sizes[9]!);
    expect(readAll(s, 't', 0).at(-1)).toEqual([26, 'b8-2']);
    expect((await s.append('t', 0, batch(1, 1, 'new'), 'none')).baseOffset).toBe(27n);
    expect(readAll(s, 't', 0).at(-1)).toEqual([27, 'new-0']);
  });

  it.each([
    ['in the last batch', 9, 27],
    ['in a middle batch (everything after it goes too)', 4, 12],
  ])('a corrupt byte %s is dropped with what follows', async (_n, bad, wantEnd) => {
    const { dir, sizes } = await tenBatches();
    const [log] = segFiles(dir, '.log');
    const at = sizes.slice(0, bad).reduce((a, b) => a + b, 0) + sizes[bad]! - 2;
    const bytes = readFileSync(log!);
    bytes[at] = bytes[at]! ^ 0x55;
    writeFileSync(log!, bytes);
    unclean(dir);
    const s = await open(dir);
    expect(s.logEndOffset('t', 0)).toBe(BigInt(wantEnd));
    expect(readAll(s, 't', 0)).toHaveLength(wantEnd);
  });

  it('a torn tail is found even when the marker says clean', async () => {
    const { dir, sizes } = await tenBatches();
    const [log] = segFiles(dir, '.log');
    truncateSync(log!, sizes.reduce((a, b) => a + b, 0) - 1);
    const s = await open(dir);
    expect(s.logEndOffset('t', 0)).toBe(27n);
  });

  it('lost or damaged index files are rebuilt', async () => {
    const { dir } = await tenBatches();
    const s0 = await open(dir);
    const want = s0.inspect('t');
    await s0.close();
    unlinkSync(segFiles(dir, '.index')[0]!);
    writeFileSync(segFiles(dir, '.timeindex')[0]!, Buffer.alloc(7, 0xff));
    unclean(dir);
    const s = await open(dir);
    const got = s.inspect('t');
    expect(got[0]!.segments[0]!.offsetIndexEntries).toBe(want[0]!.segments[0]!.offsetIndexEntries);
    expect(got[0]!.logEndOffset).toBe(30n);
    expect(s.offsetForTimestamp('t', 0, 1005n)).toEqual({ offset: 11n, timestamp: 1005n });
  });

  it('after a crash right after a roll, earlier unsynced segments are checked too; later ones dropped', async () => {
    const one = batch(3, 1000, 'b0').length;
    const { dir, sizes } = await tenBatches(one + 10);
    const logs = segFiles(dir, '.log');
    expect(logs.length).toBe(10);
    // Pretend no roll was ever fsynced: recovery must re-check from the start.
    unlinkSync(join(partDir(dir), 'recovery-point'));
    const bytes = readFileSync(logs[6]!);
    bytes[sizes[6]! - 1] = bytes[sizes[6]! - 1]! ^ 1;
    writeFileSync(logs[6]!, bytes);
    unclean(dir);
    const s = await open(dir, { segmentBytes: one + 10 });
    expect(s.logEndOffset('t', 0)).toBe(18n);
    expect(s.inspect('t')[0]!.segments.map((x) => Number(x.baseOffset))).toEqual([0, 3, 6, 9, 12, 15, 18]);
    expect(segFiles(dir, '.log')).toHaveLength(7);
  });

  it('idempotent producer state survives a clean restart and an unclean one', async () => {
    for (const crash of [false, true]) {
      const dir = tempDir();
      const s = await open(dir);
      s.createTopic('t', 1, {});
      const mk = (seq: number) =>
        buildRecordBatch({
          timestamp: 1,
          producerId: 5n,
          producerEpoch: 2,
          baseSequence: seq,
          records: [{ value: `s${seq}` }],
        });
      for (let i = 0; i < 4; i++) await s.append('t', 0, mk(i), 'none');
      await s.close();
      if (crash) {
        unclean(dir);
        unlinkSync(join(partDir(dir), 'producer-state.json'));
      }
      const s2 = await open(dir);
      expect((await s2.append('t', 0, mk(3), 'none')).baseOffset, `crash=${crash}: duplicate`).toBe(3n);
      expect(s2.logEndOffset('t', 0), `crash=${crash}: nothing new`).toBe(4n);
      expect((await s2.append('t', 0, mk(4), 'none')).baseOffset).toBe(4n);
    }
  });

  it('a killed process (SIGKILL) loses no acknowledged write and keeps dedup state', async () => {
    const dir = tempDir();
    const script = join(import.meta.dirname, 'fixtures', 'crash-writer.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    expect(line).toBe('appended 200');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(join(dir, '.clean-shutdown'))).toBe(false);
    const s = await open(dir, { segmentBytes: 4096 });
    expect(s.logEndOffset('crash', 0)).toBe(200n);
    const all = readAll(s, 'crash', 0);
    expect(all[199]).toEqual([199, 'v99-1']);
    const retry = buildRecordBatch({
      timestamp: Date.now(),
      producerId: 99n,
      producerEpoch: 0,
      baseSequence: 198,
      records: [{ value: 'v99-0' }, { value: 'v99-1' }],
    });
    expect(
      (await s.append('crash', 0, retry, 'fsync')).baseOffset,
      'retry after the crash is a duplicate',
    ).toBe(198n);
    expect(s.logEndOffset('crash', 0)).toBe(200n);
  });
});
