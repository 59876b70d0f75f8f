import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BaselineEntry, loadBaseline } from './baseline.js';
import { withFileLock } from './file-lock.js';

const entry = (hash: string): BaselineEntry => ({
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  size: 1,
  sha: hash,
  role: 'path',
});

describe('baseline manifest', () => {
  it('merges two writers: neither loses the paths the other saved', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-baseline-'));
    const daemon = loadBaseline(dir);
    daemon.set('/srv/a', entry('a1'));
    await daemon.save(1);
    // A person accepts a change (another process) while the daemon learns a new file.
    const cli = loadBaseline(dir);
    cli.set('/srv/a', entry('a2'));
    daemon.set('/srv/b', entry('b1'));
    await Promise.all([cli.save(), daemon.save()]);
    const after = loadBaseline(dir);
    expect(after.get('/srv/a')?.sha).toBe('a2');
    expect(after.get('/srv/b')?.sha).toBe('b1');
    // The daemon sees the accepted change too, without losing its own.
    daemon.refresh();
    expect(daemon.get('/srv/a')?.sha).toBe('a2');
  });

  it('keeps a deletion made by one writer when the other saves later', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-baseline-'));
    const first = loadBaseline(dir);
    first.set('/srv/a', entry('a'));
    first.set('/srv/b', entry('b'));
    await first.save(1);
    const second = loadBaseline(dir);
    second.delete('/srv/a');
    await second.save();
    first.set('/srv/c', entry('c'));
    await first.save();
    const after = loadBaseline(dir);
    expect(after.get('/srv/a')).toBeUndefined();
    expect(after.under('/srv')).toEqual(['/srv/b', '/srv/c']);
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-lock-'));
    const lock = path.join(dir, 'x.lock');
    // No process has this pid on a Linux host (pid_max is at most 2^22).
    writeFileSync(lock, String(2 ** 22 + 7));
    await expect(withFileLock(lock, async () => 'ran', 2_000)).resolves.toBe('ran');
  });
});
