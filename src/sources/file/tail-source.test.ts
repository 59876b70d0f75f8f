import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { runSource, waitFor } from '../testing/run-source.js';
import { createFileSource, type FileSourceOptions } from './tail-source.js';

let dir: string;
let log: string;
const running: { stop(): Promise<void> }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leuko-tail-'));
  log = join(dir, 'auth.log');
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function start(opts: Partial<FileSourceOptions> = {}, checkpoint?: string) {
  const source = createFileSource({
    id: 'auth',
    path: log,
    pollIntervalMs: 10,
    rotationGraceMs: 50,
    startAt: 'beginning',
    ...opts,
  });
  const r = runSource(source, checkpoint === undefined ? {} : { checkpoint });
  running.push(r);
  return { source, r };
}

const numbered = (from: number, to: number, prefix = 'line') =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix} ${from + i}`);
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('file source: following', () => {
  it('starts at the end by default and emits appended lines', async () => {
    writeFileSync(log, text(['old 1', 'old 2']));
    const source = createFileSource({ id: 'auth', path: log, pollIntervalMs: 10 });
    const r = runSource(source);
    running.push(r);
    // The empty first batch commits the starting position: from then on, appends are new.
    await waitFor(() => r.batches.length === 1, 'starting checkpoint');
    expect(r.batches[0]!.lines).toEqual([]);
    appendFileSync(log, text(['new 1', 'new 2']));
    await waitFor(() => r.lines().length >= 2, 'new lines');
    expect(r.lines()).toEqual(['new 1', 'new 2']);
    expect(r.batches.every((b) => b.path === log && b.sourceId === 'auth' && b.checkpoint !== undefined)).toBe(true);
  });

  it('says when a batch ends where the file ends, with each line’s byte offset (a record gate needs both)', async () => {
    // Four lines in batches of two: the second batch is cut full right at the end, so an empty
    // batch says the end was reached, with the same checkpoint.
    writeFileSync(log, text(['a', 'bb', 'ccc', 'dddd']));
    const { r } = start({ batchLines: 2 });
    await waitFor(() => r.batches.some((b) => b.atEnd === true), 'the end of the file');
    expect(r.batches.map((b) => [b.lines, b.ends, b.atEnd === true])).toEqual([
      [['a', 'bb'], [2, 5], false],
      [['ccc', 'dddd'], [9, 14], false],
      [[], undefined, true],
    ]);
    expect(r.batches[2]!.checkpoint).toBe(r.batches[1]!.checkpoint);
    appendFileSync(log, text(['e']));
    await waitFor(() => r.lines().length === 5, 'the appended line');
    // A batch cut short by the end says so itself.
    expect(r.batches.at(-1)).toMatchObject({ lines: ['e'], ends: [16], atEnd: true });
  });

  it('startAt beginning reads existing lines; starting at the end never emits a torn line', async () => {
    writeFileSync(log, text(['a', 'b']) + 'partial');
    const end = start({ startAt: 'end' });
    await waitFor(() => end.r.batches.length === 1, 'end source positioned');
    const begin = start({ startAt: 'beginning' });
    await waitFor(() => begin.r.lines().length >= 2, 'existing lines');
    appendFileSync(log, ' line\n');
    await waitFor(() => end.r.lines().length >= 1 && begin.r.lines().length >= 3, 'completed line');
    expect(begin.r.lines()).toEqual(['a', 'b', 'partial line']);
    expect(end.r.lines()).toEqual(['partial line']);
  });

  it('holds a partial last line until its newline arrives', async () => {
    writeFileSync(log, '');
    const { source, r } = start();
    appendFileSync(log, 'half a ');
    await waitFor(() => source.stats.bytesRead >= 7, 'partial bytes read');
    expect(r.lines()).toEqual([]);
    appendFileSync(log, 'line\r\nnext\n');
    await waitFor(() => r.lines().length >= 2, 'completed lines');
    expect(r.lines()).toEqual(['half a line', 'next']);
  });

  it('batches at most batchLines lines, with increasing checkpoint offsets', async () => {
    writeFileSync(log, text(numbered(1, 25)));
    const { r } = start({ startAt: 'beginning', batchLines: 10 });
    await waitFor(() => r.lines().length >= 25, 'all lines');
    expect(r.batches.map((b) => b.lines.length)).toEqual([10, 10, 5]);
    const offsets = r.batches.map((b) => JSON.parse(b.checkpoint!).offset as number);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(offsets.at(-1)).toBe(Buffer.byteLength(text(numbered(1, 25))));
  });

  it('skips over-long lines without losing the next ones, and counts invalid UTF-8', async () => {
    writeFileSync(log, '');
    const { source, r } = start({ maxLineBytes: 1000, chunkBytes: 4096 });
    const fd = openSync(log, 'a');
    writeSync(fd, 'before\n');
    for (let i = 0; i < 300; i++) writeSync(fd, 'x'.repeat(1000)); // 300 KB line, written in pieces
    writeSync(fd, '\n');
    writeSync(fd, Buffer.from([0x62, 0x61, 0x64, 0xc3, 0x28, 0x0a])); // "bad" + invalid sequence
    writeSync(fd, 'after\n');
    closeSync(fd);
    await waitFor(() => r.lines().length >= 3, 'lines around the long one');
    expect(r.lines()).toEqual(['before', 'bad\uFFFD(', 'after']);
    expect(source.stats.linesTooLong).toBe(1);
    expect(source.stats.invalidUtf8).toBe(1);
  });
});

describe('file source: rotation and truncation', () => {
  it('rename rotation: keeps reading late writes to the old file during the grace period, then the new file', async () => {
    const clock = createManualClock(1000);
    writeFileSync(log, '');
    const { source, r } = start({ clock, rotationGraceMs: 60_000 });
    const daemon = openSync(log, 'a');
    writeSync(daemon, text(numbered(1, 3)));
    await waitFor(() => r.lines().length >= 3, 'first lines');
    renameSync(log, `${log}.1`);
    writeFileSync(log, text(['new 1', 'new 2']));
    writeSync(daemon, text(['late 1'])); // the daemon has not reopened its log yet
    await waitFor(() => r.lines().includes('late 1'), 'late write to the rotated file');
    writeSync(daemon, text(['late 2']));
    await waitFor(() => r.lines().includes('late 2'), 'second late write');
    // Grace not over on the injected clock: the new file must not have been started yet.
    expect(r.lines()).toEqual([...numbered(1, 3), 'late 1', 'late 2']);
    closeSync(daemon);
    clock.advance(60_001);
    await waitFor(() => r.lines().length >= 7, 'new file');
    expect(r.lines()).toEqual([...numbered(1, 3), 'late 1', 'late 2', 'new 1', 'new 2']);
    expect(source.stats.rotations).toBe(1);
  });

  it('rename rotation: an unterminated last line of the old file is emitted when it is left', async () => {
    writeFileSync(log, '');
    const { r } = start();
    // The tailer must have opened the file before it is renamed, or it never knew the old one.
    appendFileSync(log, 'complete\n');
    await waitFor(() => r.lines().length >= 1, 'complete');
    appendFileSync(log, 'no newline');
    renameSync(log, `${log}.1`);
    writeFileSync(log, 'fresh\n');
    await waitFor(() => r.lines().length >= 3, 'all lines');
    expect(r.lines()).toEqual(['complete', 'no newline', 'fresh']);
  });

  it('two rotations before the grace period ends: the middle file is not skipped', async () => {
    let calls = 0;
    const manual = createManualClock(0);
    const clock = {
      now: () => {
        calls++;
        return manual.now();
      },
    };
    writeFileSync(log, '');
    const { source, r } = start({ clock, rotationGraceMs: 60_000 });
    appendFileSync(log, 'a 1\n');
    await waitFor(() => r.lines().length >= 1, 'a 1');
    renameSync(log, `${log}.1`);
    writeFileSync(log, 'b 1\n');
    const seen = calls;
    await waitFor(() => calls > seen, 'the tailer noticing the rotation');
    renameSync(log, `${log}-b`);
    writeFileSync(log, 'c 1\n');
    manual.advance(60_001);
    await waitFor(() => r.lines().length >= 2, 'b 1');
    manual.advance(60_001);
    await waitFor(() => r.lines().length >= 3, 'c 1');
    expect(r.lines()).toEqual(['a 1', 'b 1', 'c 1']);
    expect(source.stats.rotations).toBe(2);
  });

  it('copytruncate: lines not yet read when the file was copied and truncated come from the copy', async () => {
    writeFileSync(log, '');
    const { source, r } = start();
    appendFileSync(log, text(numbered(1, 3)));
    await waitFor(() => r.lines().length >= 3, 'first lines');
    // All synchronous: the tailer cannot read 4 and 5 from the live file before the truncate.
    appendFileSync(log, text(numbered(4, 5)));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, text(['after 1']));
    await waitFor(() => r.lines().length >= 6, 'all lines');
    expect(r.lines()).toEqual([...numbered(1, 5), 'after 1']);
    expect(source.stats.truncations).toBe(1);
  });

  it('truncation: reads the file again from the start', async () => {
    writeFileSync(log, '');
    const { source, r } = start();
    appendFileSync(log, text(numbered(1, 4)));
    await waitFor(() => r.lines().length >= 4, 'first lines');
    truncateSync(log, 0);
    await waitFor(() => source.stats.truncations === 1, 'truncation noticed');
    appendFileSync(log, text(['x']));
    await waitFor(() => r.lines().length >= 5, 'line after truncation');
    expect(r.lines()).toEqual([...numbered(1, 4), 'x']);
  });

  it('truncated and re-grown past our offset before we looked: caught by the fingerprint', async () => {
    writeFileSync(log, '');
    const { source, r } = start();
    appendFileSync(log, text(['a', 'b']));
    await waitFor(() => r.lines().length >= 2, 'first lines');
    truncateSync(log, 0);
    appendFileSync(log, text(['a much longer first line', 'second']));
    await waitFor(() => r.lines().length >= 4, 'rewritten lines');
    expect(r.lines()).toEqual(['a', 'b', 'a much longer first line', 'second']);
    expect(source.stats.truncations).toBe(1);
  });
});

describe('file source: missing, deleted, unreadable', () => {
  it('waits for a missing file, warns once, and reads it from the start when it appears', async () => {
    const { r } = start();
    await waitFor(() => r.warnings.length >= 1, 'warning');
    expect(r.warnings[0]!.message).toMatch(/not found/);
    writeFileSync(log, text(['first', 'second']));
    await waitFor(() => r.lines().length >= 2, 'lines');
    expect(r.lines()).toEqual(['first', 'second']);
    expect(r.warnings).toHaveLength(1);
  });

  it('deleted mid-read: finishes late writes to the open file, then waits for the path to return', async () => {
    writeFileSync(log, '');
    const { r } = start();
    const fd = openSync(log, 'a');
    writeSync(fd, 'one\n');
    await waitFor(() => r.lines().length >= 1, 'one');
    unlinkSync(log);
    writeSync(fd, 'two\n');
    closeSync(fd);
    await waitFor(() => r.lines().length >= 2, 'late write to the deleted file');
    await waitFor(() => r.warnings.some((w) => /moved or deleted/.test(w.message)), 'deletion warning');
    writeFileSync(log, 'three\n');
    await waitFor(() => r.lines().length >= 3, 'recreated file');
    expect(r.lines()).toEqual(['one', 'two', 'three']);
  });

  it('a directory at the path is reported and retried, never fatal', async () => {
    mkdirSync(log);
    const { source, r } = start();
    await waitFor(() => r.warnings.length >= 1, 'warning');
    expect(source.stats.errors).toBe(1);
    rmSync(log, { recursive: true });
    writeFileSync(log, 'ok\n');
    await waitFor(() => r.lines().length >= 1, 'line');
    expect(r.lines()).toEqual(['ok']);
  });

  it.skipIf(process.getuid?.() === 0)('permission denied is reported and retried', async () => {
    writeFileSync(log, 'secret\n', { mode: 0o000 });
    const { source, r } = start({ startAt: 'beginning' });
    await waitFor(() => r.warnings.some((w) => /permission denied/.test(w.message)), 'warning');
    expect(source.stats.errors).toBeGreaterThan(0);
    const { chmodSync } = await import('node:fs');
    chmodSync(log, 0o600);
    await waitFor(() => r.lines().length >= 1, 'line');
    expect(r.lines()).toEqual(['secret']);
  });

  it('stops promptly on abort while waiting for a missing file', async () => {
    const { r } = start({ pollIntervalMs: 60_000 });
    await waitFor(() => r.warnings.length >= 1, 'warning');
    await r.stop();
    await expect(r.done).resolves.toBeUndefined();
  });
});
