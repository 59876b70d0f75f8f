import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAdminSessionsProvider, type ProcReader } from './admin-sessions.js';
import {
  adminUsersFrom,
  decodeProcAddress,
  parseGroup,
  parsePasswd,
  parseProcNetTcp,
  parseSshdSessionTitle,
  parseWhoIps,
} from './admin-sessions-parse.js';

type Tree = Record<string, string | { link: string }>;

/** A /proc (and /etc) made of captured files. */
function fakeFs(files: Tree): ProcReader {
  const node = (p: string) => {
    const v = files[p];
    if (v === undefined) throw Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' });
    return v;
  };
  return {
    readdir(path) {
      const prefix = `${path}/`;
      const names = new Set<string>();
      for (const k of Object.keys(files))
        if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0] as string);
      if (names.size === 0) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return [...names];
    },
    readFile(path) {
      const v = node(path);
      if (typeof v !== 'string') throw new Error('EINVAL');
      return v;
    },
    readlink(path) {
      const v = node(path);
      if (typeof v === 'string') throw new Error('EINVAL');
      return v.link;
    },
  };
}

const captured = JSON.parse(
  readFileSync(join(import.meta.dirname, 'samples', 'proc-debian12-openssh92.json'), 'utf8'),
) as { files: Tree };

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'sshd:x:105:65534::/run/sshd:/usr/sbin/nologin',
  'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash',
  'bob:x:1001:1001::/home/bob:/bin/bash',
  'carol:x:1002:10::/home/carol:/bin/bash',
  'mallory:x:1003:1003::/home/mallory:/bin/bash',
  '',
].join('\n');

const GROUP = [
  'root:x:0:',
  'adm:x:4:syslog,alice',
  'wheel:x:10:',
  'sudo:x:27:alice',
  'bob:x:1001:',
  'broken line',
  '',
].join('\n');

describe('admin session parsers', () => {
  it('decodes /proc/net/tcp addresses (little-endian words)', () => {
    expect(decodeProcAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('01004D0A')).toBe('10.77.0.1');
    expect(decodeProcAddress('B80D0120000000000000000001000000')).toBe('2001:db8::1');
    expect(decodeProcAddress('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
    expect(decodeProcAddress('zz')).toBeUndefined();
  });

  it('reads only established connections from a captured table', () => {
    const t = parseProcNetTcp(captured.files['/proc/27309/net/tcp'] as string);
    expect(t.get('163647')).toEqual({ local: '10.77.0.1', localPort: 2222, remote: '10.77.0.1', remotePort: 0x802a });
    expect(t.has('164011')).toBe(false); // the listener (state 0A)
    expect(parseProcNetTcp('garbage\n\n  1: x y 01')).toEqual(new Map());
  });

  it('takes only post-authentication titles as logged-in sessions', () => {
    expect(parseSshdSessionTitle('sshd: root@pts/0\0\0\0')).toEqual({ user: 'root', tty: 'pts/0' });
    expect(parseSshdSessionTitle('sshd: alice@notty')).toEqual({ user: 'alice', tty: 'notty' });
    expect(parseSshdSessionTitle('sshd-session: alice@pts/3')).toEqual({ user: 'alice', tty: 'pts/3' });
    // Still authenticating: what a brute-forcer looks like.
    for (const t of [
      'sshd: root [priv]',
      'sshd: root [net]',
      'sshd: root [preauth]',
      'sshd: unknown [priv]',
      'sshd: [accepted]',
      'sshd-session: root [priv]',
      'sshd-auth: root [net]',
      'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
      'bash',
      'sshd: root@pts/0 extra',
    ]) {
      expect(parseSshdSessionTitle(t)).toBeUndefined();
    }
  });

  it('parses who --ips in both host spellings and skips non-IP hosts', () => {
    const out = [
      'root     pts/0        2025-01-01 10:00 (192.0.2.5)',
      'alice    pts/1        2025-01-01 10:01 198.51.100.9',
      'alice    pts/2        2025-01-01 10:02 (2001:db8::5)',
      'bob      tty1         2025-01-01 09:00',
      'carol    pts/3        2025-01-01 09:30 (tmux(1234).%0)',
      'dave     pts/4        2025-01-01 09:31 (203.0.113.4:0)',
      'erin     pts/5        2025-01-01 09:32 (example.org)',
    ].join('\n');
    expect(parseWhoIps(out)).toEqual([
      { user: 'root', line: 'pts/0', address: '192.0.2.5' },
      { user: 'alice', line: 'pts/1', address: '198.51.100.9' },
      { user: 'alice', line: 'pts/2', address: '2001:db8::5' },
      { user: 'dave', line: 'pts/4', address: '203.0.113.4' },
    ]);
  });

  it('default admins: root, sudo/wheel/adm members, and users whose primary group is one of them', () => {
    const admins = adminUsersFrom(parsePasswd(PASSWD), parseGroup(GROUP));
    expect([...admins].sort()).toEqual(['alice', 'carol', 'root', 'syslog']);
  });
});

describe('admin sessions from /proc', () => {
  it('finds the root sessions of the captured OpenSSH 9.2 tree, not the unauthenticated one', () => {
    const fs = fakeFs({ ...captured.files, '/etc/passwd': PASSWD, '/etc/group': GROUP });
    const sessions = createAdminSessionsProvider({ fs }).current();
    expect(sessions.sort((a, b) => (a.pid ?? 0) - (b.pid ?? 0))).toEqual([
      { user: 'root', address: '10.77.0.1', pid: 27309 },
      { user: 'root', address: '2001:db8::1', pid: 27312 },
    ]);
  });

  it('a non-root admin behind privilege separation; brute-forcers and impostors are ignored', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0A00000A:0016 0700A8C0:C350 01 00000000:00000000 00:00000000 00000000     0        0 5001 1 0 20 4 30 10 -1',
      '   1: 0A00000A:0016 420071CB:D431 01 00000000:00000000 00:00000000 00000000     0        0 5002 1 0 20 4 30 10 -1',
      '   2: 0A00000A:0016 0900A8C0:C351 01 00000000:00000000 00:00000000 00000000     0        0 5003 1 0 20 4 30 10 -1',
      '   3: 0A00000A:9C40 0800A8C0:01BB 01 00000000:00000000 00:00000000 00000000  1003        0 5004 1 0 20 4 30 10 -1',
      '',
    ].join('\n');
    const proc = (pid: number, title: string, uid: number, exe: string, inode: number): Tree => ({
      [`/proc/${pid}/cmdline`]: `${title}\0`,
      [`/proc/${pid}/status`]: `Name:\tx\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nGid:\t0\n`,
      [`/proc/${pid}/exe`]: { link: exe },
      [`/proc/${pid}/fd/3`]: { link: `socket:[${inode}]` },
      [`/proc/${pid}/fd/4`]: { link: '/dev/null' },
      [`/proc/${pid}/net/tcp`]: tcp,
    });
    const fs = fakeFs({
      '/etc/passwd': PASSWD,
      '/etc/group': GROUP,
      // alice logged in from 192.168.0.7: root monitor + her own session process.
      ...proc(100, 'sshd: alice [priv]', 0, '/usr/sbin/sshd', 5001),
      ...proc(101, 'sshd: alice@pts/1', 1000, '/usr/sbin/sshd (deleted)', 5001),
      // someone guessing root's password from 203.113.0.66.
      ...proc(200, 'sshd: root [priv]', 0, '/usr/sbin/sshd', 5002),
      ...proc(201, 'sshd: root [net]', 65534, '/usr/sbin/sshd', 5002),
      // bob (not an admin) is logged in from 192.168.0.9.
      ...proc(300, 'sshd-session: bob@pts/2', 1001, '/usr/lib/openssh/sshd-session', 5003),
      // mallory titles her own process as a root session to get her peer protected.
      ...proc(400, 'sshd: root@pts/9', 1003, '/usr/bin/python3', 5004),
      ...proc(401, 'sshd: alice@pts/8', 1003, '/usr/sbin/sshd', 5004),
      '/proc/500/cmdline': 'nginx: worker process\0',
      '/proc/self/cmdline': 'node\0',
    });
    expect(createAdminSessionsProvider({ fs }).current()).toEqual([
      { user: 'alice', address: '192.168.0.7', pid: 101 },
    ]);
    // An explicit admin list replaces the default.
    expect(createAdminSessionsProvider({ fs, adminUsers: ['bob'] }).current()).toEqual([
      { user: 'bob', address: '192.168.0.9', pid: 300 },
    ]);
  });

  it('merges who --ips through the command prefix, and survives a failing who', async () => {
    const calls: string[][] = [];
    let fail = false;
    const provider = createAdminSessionsProvider({
      fs: fakeFs({ '/etc/passwd': PASSWD, '/etc/group': GROUP }),
      commandPrefix: ['ip', 'netns', 'exec', 'leuko-t-x'],
      run: async (argv) => {
        calls.push([...argv]);
        if (fail) return { code: 1, stdout: '' };
        return {
          code: 0,
          stdout: 'alice pts/0 2025-01-01 10:00 (192.0.2.5)\nbob pts/1 2025-01-01 10:00 (192.0.2.6)\n',
        };
      },
    });
    expect(provider.current()).toEqual([]);
    await provider.refreshWho();
    expect(calls[0]).toEqual(['ip', 'netns', 'exec', 'leuko-t-x', 'who', '--ips']);
    expect(provider.current()).toEqual([{ user: 'alice', address: '192.0.2.5' }]);
    fail = true;
    await provider.refreshWho();
    expect(provider.current()).toEqual([{ user: 'alice', address: '192.0.2.5' }]);
  });

  it('an unreadable /proc yields no sessions rather than a crash', () => {
    const provider = createAdminSessionsProvider({ fs: fakeFs({}), procRoot: '/nope', etcDir: '/nope' });
    expect(provider.current()).toEqual([]);
  });
});
