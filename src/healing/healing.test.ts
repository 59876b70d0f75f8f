import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProtectConfig } from '../config/protect.js';
import { createBurstTracker } from './burst.js';
import { describeDiff } from './diff.js';
import { desiredState } from './desired-state.js';
import { entropy } from './entropy.js';
import { globToRegExp } from './glob.js';
import { openHealFiles } from './heal-dirs.js';
import { type Change, scanAll } from './inspect.js';
import { acceptPaths, recordBaseline } from './record.js';
import { restorePath, verifyPath } from './restore.js';
import { checkPosture, hardenSshd, sshdSettings } from './posture.js';
import { aimedAt } from './writer.js';

const base = (paths: ProtectConfig['paths'], extra: Partial<ProtectConfig> = {}): ProtectConfig => ({
  paths,
  services: [],
  scan_interval: 300,
  max_snapshot_size: 1 << 30,
  max_file_size: 1 << 30,
  ransomware: { files: 4, window: 5, hold: 0.3, entropy: 7.2 },
  posture: { sshd_config: '', passwd: '', shadow: '', cron_dirs: [], systemd_dirs: [], enabled: false, interval: 300 },
  ...extra,
});

describe('globs and desired state', () => {
  it('matches segments, ** and exclusions', () => {
    expect(globToRegExp('/etc/cron.d/*').test('/etc/cron.d/job')).toBe(true);
    expect(globToRegExp('/etc/cron.d/*').test('/etc/cron.d/a/b')).toBe(false);
    expect(globToRegExp('/srv/**/*.php').test('/srv/a/b/x.php')).toBe(true);
    expect(globToRegExp('/srv/**/*.php').test('/srv/x.php')).toBe(true);
    const s = desiredState(base([{ path: '/srv/www', exclude: ['cache/**', '*.log'] }]));
    const root = s.rootOf('/srv/www/index.html');
    expect(root?.root).toBe('/srv/www');
    expect(s.tracks('/srv/www/cache/x', root!, false)).toBe(false);
    expect(s.tracks('/srv/www/a/b.log', root!, false)).toBe(false);
    expect(s.tracks('/srv/www/.leuko-restore-abc', root!, false)).toBe(false);
    expect(s.tracks('/srv/www/a/index.php', root!, false)).toBe(true);
    expect(s.rootOf('/srv/wwwx/a')).toBeUndefined();
  });
});

describe('diff and entropy', () => {
  it('shows changed lines and summarises binary content', () => {
    const d = describeDiff(Buffer.from('a\nb\nc\n'), Buffer.from('a\nX\nc\n'));
    expect(d).toBe('@@ line 2 @@\n-b\n+X');
    expect(describeDiff(Buffer.from('a'), randomBytes(4096))).toMatch(/^binary content, 4096 bytes, entropy 7\.\d\d/);
    expect(entropy(Buffer.from('aaaa'))).toBe(0);
    expect(entropy(randomBytes(65536))).toBeGreaterThan(7.9);
  });
});

describe('snapshots, scan and restore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leuko-heal-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every kind of drift and restores content, mode, links and directories', async () => {
    const www = path.join(dir, 'www');
    mkdirSync(path.join(www, 'sub'), { recursive: true });
    writeFileSync(path.join(www, 'a.txt'), 'alpha\n');
    writeFileSync(path.join(www, 'sub', 'b.txt'), 'alpha\n');
    writeFileSync(path.join(www, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync('a.txt', path.join(www, 'link'));
    const files = openHealFiles(path.join(dir, 'store'), base([www]));
    const report = await recordBaseline(files, 1);
    expect(report).toMatchObject({ entries: 6, files: 3 });
    // Two identical files are stored once.
    expect(readFileSync(path.join(dir, 'store/heal/baseline.json'), 'utf8')).toContain('"role":"path"');

    writeFileSync(path.join(www, 'a.txt'), 'tampered\n');
    rmSync(path.join(www, 'sub'), { recursive: true });
    chmodSync(path.join(www, 'run.sh'), 0o4777);
    rmSync(path.join(www, 'link'));
    symlinkSync('/etc/passwd', path.join(www, 'link'));
    writeFileSync(path.join(www, 'new.php'), '<?php');
    const changes = await scanAll(files);
    const kinds = Object.fromEntries(changes.map((c: Change) => [path.basename(c.path), c.kind]));
    expect(kinds).toEqual({
      'a.txt': 'modified',
      sub: 'removed',
      'run.sh': 'metadata',
      link: 'modified',
      'new.php': 'added',
    });

    const r = await restorePath(files, www, { reason: 'test', at: 2 });
    expect(r.errors).toEqual([]);
    expect(readFileSync(path.join(www, 'a.txt'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(path.join(www, 'sub', 'b.txt'), 'utf8')).toBe('alpha\n');
    expect(lstatSync(path.join(www, 'run.sh')).mode & 0o7777).toBe(0o755);
    expect(readlinkSync(path.join(www, 'link'))).toBe('a.txt');
    expect(await verifyPath(files, www)).toEqual([]);
    const q = await files.quarantine.list();
    expect(q.map((x) => path.basename(x.path)).sort()).toEqual(['a.txt', 'link', 'new.php']);
    expect(readFileSync(files.quarantine.contentPath(q.find((x) => x.path.endsWith('a.txt'))!.id), 'utf8')).toBe(
      'tampered\n',
    );

    // Accepting a change makes it the known-good.
    writeFileSync(path.join(www, 'a.txt'), 'beta\n');
    await acceptPaths(files, [path.join(www, 'a.txt')]);
    expect(await scanAll(files)).toEqual([]);
  });

  it('fails clearly when the snapshot budget is exceeded', async () => {
    const big = path.join(dir, 'big');
    mkdirSync(big);
    writeFileSync(path.join(big, 'x.bin'), randomBytes(64 * 1024));
    const files = openHealFiles(path.join(dir, 'store2'), base([big], { max_snapshot_size: 1000 }));
    await expect(recordBaseline(files, 1)).rejects.toThrow(/snapshot store over budget.*protect\.max_snapshot_size/);
  });
});

describe('burst tracker', () => {
  it('holds suspicious changes and declares one burst at the threshold', async () => {
    let now = 0;
    const released: string[] = [];
    const t = createBurstTracker<number, string>(
      { files: 4, windowMs: 5000, holdMs: 10_000, entropy: 7 },
      {
        now: () => now,
        start: async () => 1,
        narrow: async () => 'writer',
        release: (c) => released.push(c.path),
      },
    );
    const root = desiredState(base(['/r'])).roots[0]!;
    const change = (p: string, kind: Change['kind']): Change => ({ path: p, root, kind, aspects: [] });
    expect(t.observe(change('/r/index.html', 'modified'), 4.5).kind).toBe('pass');
    expect(t.observe(change('/r/a', 'removed'), undefined).kind).toBe('held');
    expect(t.observe(change('/r/a.locked', 'added'), 7.9).kind).toBe('held');
    now = 10;
    expect(t.observe(change('/r/b', 'removed'), undefined).kind).toBe('held');
    const v = t.observe(change('/r/b.locked', 'added'), 7.9);
    expect(v.kind).toBe('burst');
    if (v.kind === 'burst') {
      expect(v.changes.map((c) => c.path)).toEqual(['/r/a', '/r/a.locked', '/r/b', '/r/b.locked']);
      expect(await v.suspect).toBe('writer');
    }
    expect(t.observe(change('/r/c', 'removed'), undefined).kind).toBe('folded');
    t.close();
    expect(released).toEqual([]);
  });

  it('names a process aimed at the tree by its command line only for real path arguments', () => {
    const proc = mkdtempSync(path.join(tmpdir(), 'leuko-proc-'));
    mkdirSync(path.join(proc, '42'));
    writeFileSync(path.join(proc, '42', 'cmdline'), 'node\0/srv/www/enc.js\0/srv/www\0');
    mkdirSync(path.join(proc, '43'));
    writeFileSync(path.join(proc, '43', 'cmdline'), 'tar\0czf\0/\0');
    expect(aimedAt(proc, 42, '/srv/www')).toBe(true);
    expect(aimedAt(proc, 43, '/srv/www')).toBe(false);
    rmSync(proc, { recursive: true, force: true });
  });
});

describe('posture', () => {
  it('reads sshd settings like sshd (first value, Match ends the global part) and hardens them', () => {
    const text = 'PermitRootLogin yes\nPermitRootLogin no\nMatch User x\n  PasswordAuthentication yes\n';
    expect(sshdSettings(text).get('permitrootlogin')).toBe('yes');
    expect(sshdSettings(text).has('passwordauthentication')).toBe(false);
    const fixed = hardenSshd(text);
    expect(sshdSettings(fixed).get('permitrootlogin')).toBe('prohibit-password');
    expect(fixed).toContain('  PasswordAuthentication yes');
  });

  it('flags uid 0 accounts and empty passwords, with approval-gated fixes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'leuko-posture-'));
    writeFileSync(path.join(dir, 'passwd'), 'root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n');
    writeFileSync(path.join(dir, 'shadow'), 'root:$6$abc:1::::::\nguest::1::::::\n');
    writeFileSync(path.join(dir, 'sshd'), 'PermitEmptyPasswords yes\n');
    const files = openHealFiles(path.join(dir, 'store'), base([]));
    const found = await checkPosture(files, {
      sshd_config: path.join(dir, 'sshd'),
      passwd: path.join(dir, 'passwd'),
      shadow: path.join(dir, 'shadow'),
      cron_dirs: [],
      systemd_dirs: [],
      enabled: true,
      interval: 60,
    });
    expect(found.map((f) => f.scenario).sort()).toEqual([
      'leuko/posture-empty-password',
      'leuko/posture-sshd',
      'leuko/posture-uid0',
    ]);
    for (const f of found) expect(f.actions[0]?.blastRadius).toBe('high');
    rmSync(dir, { recursive: true, force: true });
  });
});
