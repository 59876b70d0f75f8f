import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { waitFor } from '../testing/run-source.js';

const CHILD = resolve(import.meta.dirname, 'testing/commit-child.ts');
const ROOT = resolve(import.meta.dirname, '../../..');

let dir: string;
let children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leuko-kill9-'));
});
afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children = [];
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Read what the child committed: records are `L line`... then `C checkpoint`. Anything after
 * the last complete `C` line is a torn, uncommitted record: cut it off, as a store's recovery
 * would, before the next life appends.
 */
function committed(out: string): { lines: string[]; checkpoint: string | undefined } {
  let text: string;
  try {
    text = readFileSync(out, 'utf8');
  } catch {
    return { lines: [], checkpoint: undefined };
  }
  const lines: string[] = [];
  let pending: string[] = [];
  let checkpoint: string | undefined;
  let pos = 0;
  let committedBytes = 0;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl === -1) break;
    const rec = text.slice(pos, nl);
    pos = nl + 1;
    if (rec.startsWith('L ')) pending.push(rec.slice(2));
    else if (rec.startsWith('C ')) {
      lines.push(...pending);
      pending = [];
      checkpoint = rec.slice(2);
      committedBytes = Buffer.byteLength(text.slice(0, pos));
    }
  }
  if (Buffer.byteLength(text) !== committedBytes) truncateSync(out, committedBytes);
  return { lines, checkpoint };
}

const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('kill -9 at random points while a writer appends, rotates and copytruncates: no line lost, none twice, in order', async () => {
  const log = join(dir, 'app.log');
  const out = join(dir, 'committed.txt');
  const written: string[] = [];
  let seq = 0;
  let daemon = openSync(log, 'a');
  let rotations = 0;
  let copies = 0;
  // Index in `written` of the first line of the current file: rotate again only once the child
  // has committed a line from it (two rotations while it is still on the older file would
  // need a chain of rotated files, which is documented as out of scope).
  let currentFileStart = 0;

  function writeLines(n: number): void {
    for (let i = 0; i < n; i++) {
      const line = `seq ${String(seq++).padStart(6, '0')} ${'x'.repeat(rand(0, 120))} é`;
      written.push(line);
      const bytes = Buffer.from(`${line}\n`);
      if (Math.random() < 0.2) {
        // A line written in two pieces: the child may see (and be killed holding) half of it.
        const cut = rand(1, bytes.length - 1);
        writeSync(daemon, bytes.subarray(0, cut));
        writeSync(daemon, bytes.subarray(cut));
      } else {
        writeSync(daemon, bytes);
      }
    }
  }
  function maybeRotate(): void {
    if (committed(out).lines.length <= currentFileStart || Math.random() > 0.5) return;
    const rotated = join(dir, `app.log-${String(++rotations).padStart(4, '0')}`);
    if (Math.random() < 0.5) {
      renameSync(log, rotated);
      writeLines(rand(0, 3)); // late writes by the daemon to the renamed file
      closeSync(daemon);
      daemon = openSync(log, 'a');
    } else {
      // logrotate copytruncate (the daemon keeps its O_APPEND descriptor).
      copyFileSync(log, rotated);
      truncateSync(log, 0);
      copies++;
    }
    currentFileStart = written.length;
  }
  function spawnChild(): ChildProcess {
    const { checkpoint } = committed(out);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, log, out], {
      cwd: ROOT,
      env: { ...process.env, ...(checkpoint ? { LEUKO_CHECKPOINT: checkpoint } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.resume();
    children.push(child);
    return child;
  }
  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  writeLines(50);
  for (let round = 0; round < 8; round++) {
    const child = spawnChild();
    const killAt = performance.now() + rand(150, 900);
    while (performance.now() < killAt) {
      writeLines(rand(1, 40));
      if (Math.random() < 0.1) maybeRotate();
      await sleep(rand(0, 15));
    }
    await kill(child);
    // While it is down: more lines, sometimes a rotation.
    writeLines(rand(0, 30));
    if (round % 2 === 1) maybeRotate();
  }
  const last = spawnChild();
  writeLines(20);
  closeSync(daemon);
  await waitFor(() => committed(out).lines.length >= written.length, 'the last child catching up', 30_000);
  await kill(last);

  const got = committed(out).lines;
  console.log(`kill9: ${written.length} lines, ${rotations} rotations (${copies} copytruncate)`);
  expect(got.length).toBe(written.length);
  expect(got).toEqual(written);
}, 90_000);
