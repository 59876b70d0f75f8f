import { describe, expect, it } from 'vitest';
import { parserNames } from '../parsers/index.js';
import { DEFAULT_LOG_FILES, defaultConfig } from './defaults.js';
import { DEFAULT_STORE_PATH } from './store.js';

const host = (files: string[], journaldAvailable = false) => ({
  exists: (p: string) => files.includes(p),
  journaldAvailable,
});

describe('defaultConfig', () => {
  it('follows the logs that exist, with their formats', () => {
    const c = defaultConfig(host(['/var/log/auth.log', '/var/log/nginx/access.log', '/var/log/nginx/error.log']));
    expect(c.sources.map((s) => [s.type, s.type === 'file' ? s.path : '', s.format])).toEqual([
      ['file', '/var/log/auth.log', 'sshd'],
      ['file', '/var/log/nginx/access.log', 'nginx'],
      ['file', '/var/log/nginx/error.log', 'nginx-error'],
    ]);
  });

  it("follows containers' logs where the runtime keeps them, as patterns", () => {
    const c = defaultConfig(host(['/var/log/auth.log', '/var/log/containers', '/var/lib/docker/containers']));
    expect(c.sources.map((s) => [s.type === 'file' ? s.path : '', s.format])).toEqual([
      ['/var/log/auth.log', 'sshd'],
      ['/var/log/containers/*.log', 'auto'],
      ['/var/lib/docker/containers/*/*-json.log', 'auto'],
    ]);
    expect(defaultConfig(host(['/var/log/auth.log'])).sources).toHaveLength(1);
  });

  it('maps RHEL and apache paths', () => {
    const c = defaultConfig(
      host([
        '/var/log/secure',
        '/var/log/httpd/access_log',
        '/var/log/apache2/access.log',
        '/var/log/apache2/error.log',
      ]),
    );
    expect(c.sources.map((s) => s.format)).toEqual(['sshd', 'apache', 'apache', 'apache-error']);
  });

  it('follows mail and database logs, whose services have brute-force scenarios too', () => {
    const c = defaultConfig(host(['/var/log/auth.log', '/var/log/mail.log', '/var/log/mysql/error.log']));
    expect(c.sources.map((s) => [s.type === 'file' ? s.path : '', s.format])).toEqual([
      ['/var/log/auth.log', 'sshd'],
      ['/var/log/mail.log', 'syslog'],
      ['/var/log/mysql/error.log', 'mysqld'],
    ]);
  });

  it("follows the syslog daemon's catch-all file, for the services that log only there", () => {
    const c = defaultConfig(host(['/var/log/auth.log', '/var/log/mail.log', '/var/log/syslog', '/var/log/messages']));
    expect(c.sources.map((s) => [s.type === 'file' ? s.path : '', s.format])).toEqual([
      ['/var/log/auth.log', 'sshd'],
      ['/var/log/mail.log', 'syslog'],
      ['/var/log/syslog', 'syslog'],
      ['/var/log/messages', 'syslog'],
    ]);
  });

  it("follows the FTP servers' own logs with their formats", () => {
    const c = defaultConfig(host(['/var/log/auth.log', '/var/log/proftpd/proftpd.log', '/var/log/vsftpd.log']));
    expect(c.sources.map((s) => [s.type === 'file' ? s.path : '', s.format])).toEqual([
      ['/var/log/auth.log', 'sshd'],
      ['/var/log/proftpd/proftpd.log', 'proftpd'],
      ['/var/log/vsftpd.log', 'vsftpd'],
    ]);
  });

  it("follows Exim's mainlog, Debian's default MTA", () => {
    const c = defaultConfig(host(['/var/log/auth.log', '/var/log/exim4/mainlog']));
    expect(c.sources.map((s) => [s.type === 'file' ? s.path : '', s.format])).toEqual([
      ['/var/log/auth.log', 'sshd'],
      ['/var/log/exim4/mainlog', 'exim'],
    ]);
  });

  it('names only registered parsers', () => {
    for (const f of DEFAULT_LOG_FILES) expect(parserNames, f.path).toContain(f.format);
  });

  it('reads journald only when no auth log file exists', () => {
    expect(defaultConfig(host(['/var/log/nginx/access.log'], true)).sources.map((s) => s.type)).toEqual([
      'file',
      'journald',
    ]);
    expect(defaultConfig(host(['/var/log/auth.log'], true)).sources.map((s) => s.type)).toEqual(['file']);
    // Neither an auth log nor a journal: wait for the Debian auth log to appear.
    expect(defaultConfig(host([], false)).sources).toMatchObject([
      { type: 'file', path: '/var/log/auth.log', format: 'sshd' },
    ]);
  });

  it('observes only, allowlists loopback, leaves the store path to the store', () => {
    const c = defaultConfig(host([]));
    expect(c.policy.mode).toBe('observe');
    expect(c.policy.allowlist).toEqual(['127.0.0.0/8', '::1/128']);
    expect(c.store.path).toBeUndefined();
    expect(DEFAULT_STORE_PATH).toBe('/var/lib/leuko');
    expect(c.decisions.default_duration).toBe(4 * 3600);
    expect(c.responders).toEqual([]);
    expect(Object.isFrozen(c.policy.allowlist)).toBe(true);
  });
});
