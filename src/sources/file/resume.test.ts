import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSource, waitFor } from '../testing/run-source.js';
import { parseCheckpoint } from './checkpoint.js';
import { createFileSource } from './tail-source.js';

let dir: string;
let log: string;
const running: { stop(): Promise<void> }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leuko-resume-'));
  log = join(dir, 'auth.log');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  rmSync(dir, { recursive: true, force: true });
});

const numbered = (from: number, to: number, prefix = 'line') =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}`);
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

function start(opts: { checkpoint?: string; stopAfterBatches?: number; batchLines?: number } = {}) {
  const source = createFileSource({
    id: 'auth',
    path: log,
    startAt: 'beginning',
    pollIntervalMs: 10,
    rotationGraceMs: 20,
    batchLines: opts.batchLines ?? 1000,
  });
  const r = runSource(source, {
    ...(opts.checkpoint === undefined ? {} : { checkpoint: opts.checkpoint }),
    ...(opts.stopAfterBatches === undefined ? {} : { stopAfterBatches: opts.stopAfterBatches }),
  });
  running.push(r);
  return { source, r };
}

/** First life: read `n` lines, then "crash"; returns the checkpoint the pipeline committed last. */
async function readThenStop(n: number): Promise<string> {
  const { r } = start();
  await waitFor(() => r.lines().length >= n, `${n} lines`);
  await r.stop();
  expect(r.lines()).toHaveLength(n);
  return r.lastCheckpoint()!;
}

describe('file source: resuming from a checkpoint', () => {
  it('after a crash at batch k, emits exactly the lines after that batch', async () => {
    writeFileSync(log, text(numbered(1, 50)) + 'unfinished');
    const first = start({ batchLines: 7, stopAfterBatches: 3 });
    await first.r.done;
    expect(first.r.lines()).toEqual(numbered(1, 21));
    const cp = first.r.lastCheckpoint()!;
    expect(parseCheckpoint(cp)).toMatchObject({ offset: Buffer.byteLength(text(numbered(1, 21))) });

    const second = start({ checkpoint: cp, batchLines: 7 });
    appendFileSync(log, ' line\n' + text(numbered(51, 60)));
    await waitFor(() => second.r.lines().length >= 40, 'the rest');
    expect([...first.r.lines(), ...second.r.lines()]).toEqual([
      ...numbered(1, 50),
      'unfinished line',
      ...numbered(51, 60),
    ]);
    expect(second.source.stats).toMatchObject({ rotations: 0, truncations: 0 });
    expect(second.r.warnings).toEqual([]);
  });

  it.each(['auth.log.1', 'auth.log-20260101', 'old-auth'])(
    'rotated while down (renamed to %s): finishes the old file, then reads the new one from the start',
    async (rotatedName) => {
      writeFileSync(log, text(numbered(1, 10)));
      const cp = await readThenStop(10);
      appendFileSync(log, text(numbered(11, 15)));
      renameSync(log, join(dir, rotatedName));
      writeFileSync(log, text(numbered(1, 3, 'new')));
      const { source, r } = start({ checkpoint: cp });
      await waitFor(() => r.lines().length >= 8, 'old tail and new file');
      expect(r.lines()).toEqual([...numbered(11, 15), ...numbered(1, 3, 'new')]);
      expect(source.stats.rotations).toBe(1);
    },
  );

  it('rotated while down and no new file yet: finishes the old one, then waits for the path', async () => {
    writeFileSync(log, text(numbered(1, 2)));
    const cp = await readThenStop(2);
    appendFileSync(log, text(['tail']));
    renameSync(log, `${log}.1`);
    const { r } = start({ checkpoint: cp });
    await waitFor(() => r.lines().length >= 1, 'old tail');
    writeFileSync(log, 'new\n');
    await waitFor(() => r.lines().length >= 2, 'new file');
    expect(r.lines()).toEqual(['tail', 'new']);
  });

  it('copytruncate while down: the unread tail comes from the copy', async () => {
    writeFileSync(log, text(numbered(1, 5)));
    const cp = await readThenStop(5);
    appendFileSync(log, text(numbered(6, 8)));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, text(['after']));
    const { source, r } = start({ checkpoint: cp });
    await waitFor(() => r.lines().length >= 4, 'tail and new lines');
    expect(r.lines()).toEqual([...numbered(6, 8), 'after']);
    expect(source.stats.truncations).toBe(1);
  });

  it('rewritten in place while down (same inode, other content): read from the start, not mid-line', async () => {
    writeFileSync(log, text(['short']));
    const cp = await readThenStop(1);
    writeFileSync(log, text(['completely different and longer', 'second']));
    const { source, r } = start({ checkpoint: cp });
    await waitFor(() => r.lines().length >= 2, 'rewritten file');
    expect(r.lines()).toEqual(['completely different and longer', 'second']);
    expect(source.stats.truncations).toBe(1);
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/truncated while stopped/)]);
  });

  it('the old file is gone (compressed, deleted): says lines may be lost, reads the new file', async () => {
    writeFileSync(log, text(numbered(1, 2)));
    const cp = await readThenStop(2);
    // New file first, then replace: the old inode cannot be reused for the new file (a reused
    // inode is the "rewritten in place" case above, caught by the fingerprint).
    writeFileSync(`${log}.tmp`, text(['fresh']));
    renameSync(`${log}.tmp`, log);
    const { source, r } = start({ checkpoint: cp });
    await waitFor(() => r.lines().length >= 1, 'new file');
    expect(r.lines()).toEqual(['fresh']);
    expect(source.stats.rotations).toBe(1);
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/cannot be found/)]);
  });

  it('startAt end commits its starting point at once: lines written while down are not skipped', async () => {
    writeFileSync(log, text(['before start']));
    const first = runSource(createFileSource({ id: 'auth', path: log, pollIntervalMs: 10 }));
    running.push(first);
    await waitFor(() => first.batches.length === 1, 'starting checkpoint');
    await first.stop();
    expect(first.batches[0]!.lines).toEqual([]);
    appendFileSync(log, text(['while down']));
    const { r } = start({ checkpoint: first.lastCheckpoint()! });
    await waitFor(() => r.lines().length >= 1, 'line written while down');
    expect(r.lines()).toEqual(['while down']);
  });

  it('ignores a corrupt checkpoint with a warning', async () => {
    writeFileSync(log, text(['a']));
    const { r } = start({ checkpoint: '{"v":1,"dev":"x"' });
    await waitFor(() => r.lines().length >= 1, 'line');
    expect(r.lines()).toEqual(['a']);
    expect(r.warnings[0]!.message).toMatch(/unreadable checkpoint/);
  });
});
