import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSource, runSource, waitFor } from '../testing/run-source.js';
import { createJournaldSource, journaldAvailable, journalctlArgs } from './index.js';

const FAKE = resolve(import.meta.dirname, 'testing/fake-journalctl.mjs');
let dir: string;
let journal: string;
let argsLog: string;
let command: string;
const running: RunningSource[] = [];

/** A wrapper executable for the fake, with its environment baked in (no shared process.env). */
function makeCommand(env: Record<string, string> = {}): string {
  const path = join(dir, `journalctl-${Math.random().toString(36).slice(2)}`);
  const vars = Object.entries({ FAKE_JOURNAL: journal, FAKE_ARGS: argsLog, ...env })
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
  writeFileSync(path, `#!/bin/sh\nexec env ${vars} '${process.execPath}' '${FAKE}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0) * 1000;
function entry(i: number, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    __CURSOR: `s=abc;i=${i}`,
    __REALTIME_TIMESTAMP: String(T0 + i * 1_000_000),
    _HOSTNAME: 'host',
    SYSLOG_IDENTIFIER: 'sshd',
    _PID: '100',
    MESSAGE: `message ${i}`,
    ...extra,
  });
}
const expected = (i: number) => `Jan  5 09:00:${String(i).padStart(2, '0')} host sshd[100]: message ${i}`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leuko-journald-'));
  journal = join(dir, 'journal.jsonl');
  argsLog = join(dir, 'args.jsonl');
  writeFileSync(journal, '');
  command = makeCommand();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function start(opts: { checkpoint?: string; startAt?: 'end' | 'beginning'; cmd?: string; batchLines?: number } = {}) {
  const source = createJournaldSource({
    id: 'journal',
    command: opts.cmd ?? command,
    timeZone: 'utc',
    units: ['ssh.service'],
    ...(opts.startAt ? { startAt: opts.startAt } : {}),
    ...(opts.batchLines ? { batchLines: opts.batchLines } : {}),
  });
  const r = runSource(source, opts.checkpoint === undefined ? {} : { checkpoint: opts.checkpoint });
  running.push(r);
  return { source, r };
}
const calls = () =>
  (() => {
    try {
      return readFileSync(argsLog, 'utf8');
    } catch {
      return '';
    }
  })()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as string[]);

describe('journald source (fake journalctl)', () => {
  it('follows new entries only by default, as syslog lines with the cursor as checkpoint', async () => {
    appendFileSync(journal, `${entry(1)}\n`);
    const { r } = start();
    await waitFor(() => calls().length === 1, 'journalctl started');
    expect(calls()[0]).toEqual(['--output=json', '--all', '--follow', '--no-pager', '--unit=ssh.service', '--lines=0']);
    appendFileSync(journal, `${entry(2)}\nnot json\n${entry(3, { MESSAGE: [104, 105] })}\n`);
    await waitFor(() => r.lines().length >= 2, 'entries');
    expect(r.lines()).toEqual([expected(2), 'Jan  5 09:00:03 host sshd[100]: hi']);
    expect(JSON.parse(r.lastCheckpoint()!)).toEqual({ cursor: 's=abc;i=3' });
  });

  it('resumes after the committed cursor: no entry lost or repeated across a restart', async () => {
    appendFileSync(journal, [1, 2, 3, 4, 5].map((i) => entry(i)).join('\n') + '\n');
    const first = runSource(
      createJournaldSource({ id: 'journal', command, timeZone: 'utc', startAt: 'beginning', batchLines: 2 }),
      { stopAfterBatches: 2 },
    );
    running.push(first);
    await first.done;
    // How many entries the two batches hold depends on how the pipe delivered them.
    const k = first.lines().length;
    expect(first.lines()).toEqual(Array.from({ length: k }, (_, i) => expected(i + 1)));
    expect(first.batches.every((b) => b.lines.length <= 2)).toBe(true);
    expect(JSON.parse(first.lastCheckpoint()!).cursor).toBe(`s=abc;i=${k}`);

    appendFileSync(journal, `${entry(6)}\n`);
    const { r } = start({ checkpoint: first.lastCheckpoint()! });
    await waitFor(() => r.lines().includes(expected(6)), 'remaining entries');
    expect([...first.lines(), ...r.lines()]).toEqual([1, 2, 3, 4, 5, 6].map(expected));
    expect(calls().at(-1)).toContain(`--after-cursor=s=abc;i=${k}`);
  });

  it('a rejected cursor: warns and follows from the end instead of failing forever', async () => {
    appendFileSync(journal, `${entry(1)}\n`);
    const { r } = start({ checkpoint: JSON.stringify({ cursor: 's=gone;i=9' }) });
    await waitFor(() => r.warnings.length >= 1 && calls().length === 2, 'retry without cursor');
    expect(r.warnings[0]!.message).toMatch(/rejected the saved cursor/);
    expect(calls()[1]).toContain('--lines=0');
    appendFileSync(journal, `${entry(2)}\n`);
    await waitFor(() => r.lines().length >= 1, 'new entry');
    expect(r.lines()).toEqual([expected(2)]);
  });

  it('journalctl failing is a SOURCE_FAILED error carrying its stderr', async () => {
    const cmd = makeCommand({ FAKE_EXIT: '1', FAKE_STDERR: 'Failed to open journal: Permission denied' });
    const source = createJournaldSource({ id: 'j', command: cmd });
    const run = source.run(async () => undefined, { signal: new AbortController().signal, warn: () => undefined });
    await expect(run).rejects.toMatchObject({
      code: 'SOURCE_FAILED',
      details: { stderr: expect.stringContaining('Permission denied') },
    });
  });

  it('a missing binary is a SOURCE_FAILED error', async () => {
    const source = createJournaldSource({ id: 'j', command: join(dir, 'no-such-journalctl') });
    const run = source.run(async () => undefined, { signal: new AbortController().signal, warn: () => undefined });
    await expect(run).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
  });

  it('stop kills journalctl and resolves', async () => {
    const { r } = start();
    await waitFor(() => calls().length === 1, 'journalctl started');
    await r.stop();
    await expect(r.done).resolves.toBeUndefined();
  });

  it('builds journalctl arguments for each start mode', () => {
    expect(journalctlArgs({ id: 'j', startAt: 'beginning' }, undefined)).toContain('--no-tail');
    expect(journalctlArgs({ id: 'j' }, 'c')).toEqual([
      '--output=json',
      '--all',
      '--follow',
      '--no-pager',
      '--after-cursor=c',
      '--no-tail',
    ]);
  });
});

describe('journaldAvailable', () => {
  it('is false for a missing binary and for one that fails', async () => {
    expect(await journaldAvailable(join(dir, 'nothing-here'))).toBe(false);
    expect(await journaldAvailable(makeCommand({ FAKE_EXIT: '1' }))).toBe(false);
    expect(
      await journaldAvailable(makeCommand({ FAKE_EXIT: '0', FAKE_STDERR: 'No journal files were found.\n' })),
    ).toBe(false);
    expect(await journaldAvailable(makeCommand({ FAKE_EXIT: '0' }))).toBe(false); // no entry at all
    appendFileSync(journal, `${entry(1)}\n`);
    expect(await journaldAvailable(makeCommand({ FAKE_EXIT: '0' }))).toBe(true);
  });

  it('matches the real journalctl on this machine', async () => {
    let entries = 0;
    try {
      const out = execFileSync('journalctl', ['--lines=1', '--output=json', '--no-pager'], {
        stdio: ['ignore', 'pipe', 'ignore'],
        encoding: 'utf8',
      });
      entries = out.split('\n').filter((l) => l.startsWith('{')).length;
    } catch {
      entries = 0;
    }
    const available = await journaldAvailable();
    expect(available).toBe(entries > 0);
    // When the real journal is there, read one real entry through the source.
    if (available) {
      const source = createJournaldSource({ id: 'real', startAt: 'beginning' });
      const r = runSource(source);
      running.push(r);
      await waitFor(() => r.lines().length > 0, 'a real journal entry');
      expect(r.lines()[0]).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+: /);
    }
  });
});
