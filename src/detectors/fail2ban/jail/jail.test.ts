import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clearConfigCache } from '../config/config-set.js';
import { jailScenario } from './jail-scenario.js';
import { readJailFile } from './jail-spec.js';
import { parseF2bTime } from './time-spec.js';

describe('fail2ban jails', () => {
  it('reads fail2ban times', () => {
    expect(parseF2bTime('600')).toBe(600);
    expect(parseF2bTime('10m')).toBe(600);
    expect(parseF2bTime('1h 30m')).toBe(5400);
    expect(parseF2bTime('1d')).toBe(86400);
    expect(parseF2bTime('-1')).toBe(-1);
    expect(parseF2bTime('soon')).toBeUndefined();
  });

  it('reads enabled jails with [DEFAULT] inheritance, %(__name__)s and jail.local overrides', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'leuko-jail-'));
    writeFileSync(
      path.join(d, 'jail.conf'),
      '[INCLUDES]\nbefore = paths.conf\n[DEFAULT]\nmaxretry = 5\nfindtime = 10m\nbantime = 10m\nmode = normal\nfilter = %(__name__)s[mode=%(mode)s]\n[sshd]\nlogpath = %(sshd_log)s\n[nginx-http-auth]\nlogpath = /var/log/nginx/error.log\n',
    );
    writeFileSync(path.join(d, 'paths.conf'), '[DEFAULT]\nsshd_log = /var/log/auth.log\n');
    writeFileSync(
      path.join(d, 'jail.local'),
      '[sshd]\nenabled = true\nmode = aggressive\nmaxretry = 3\nbantime = 1h\n',
    );
    clearConfigCache();
    const { jails, problems } = readJailFile(path.join(d, 'jail.local'));
    expect(problems).toEqual([]);
    expect(jails).toEqual([
      {
        name: 'sshd',
        filter: 'sshd[mode=aggressive]',
        logpath: ['/var/log/auth.log'],
        backend: 'auto',
        maxretry: 3,
        findtime: 600,
        bantime: 3600,
      },
    ]);
  });

  it('turns a jail into a sliding window that bans for bantime', () => {
    const s = jailScenario({
      name: 'sshd',
      filter: 'sshd',
      logpath: [],
      backend: 'auto',
      maxretry: 3,
      findtime: 600,
      bantime: -1,
    });
    expect(s.name).toBe('fail2ban/sshd');
    expect(s.params).toMatchObject({ kind: 'window', mode: 'sliding', threshold: 3, windowMs: 600_000 });
    expect(s.groupBy).toEqual(['source.ip']);
    expect(s.remediation).toEqual({ action: 'ban', durationS: 10 * 365 * 86400, scope: 'ip' });
  });
});

describe('jail log paths', () => {
  it('expands globs in the file name like fail2ban', async () => {
    const { expandFileGlob: expandGlob } = await import('../../../platform/glob.js');
    const d = mkdtempSync(path.join(tmpdir(), 'leuko-glob-'));
    for (const f of ['a-error.log', 'b-error.log', 'access.log']) writeFileSync(path.join(d, f), '');
    expect(expandGlob(path.join(d, '*error.log'))).toEqual([path.join(d, 'a-error.log'), path.join(d, 'b-error.log')]);
    expect(expandGlob(path.join(d, 'access.log'))).toEqual([path.join(d, 'access.log')]);
  });
});
