import { describe, expect, it } from 'vitest';
import { M, parsed, run, S, ssh, times } from './test-kit.js';

describe('leuko/ssh-bf-success', () => {
  it('alerts when an address logs in after eight failures within the hour, naming the account', () => {
    const ev = [
      ...times(9, (i) => ssh.fail(i * 4 * M, '203.0.113.99', ['root', 'admin', 'deploy'][i % 3]!)),
      ssh.ok(40 * M, '203.0.113.99', 'deploy', 'password'),
    ];
    const d = run('leuko/ssh-bf-success', ev);
    expect(d).toHaveLength(1);
    expect(d[0]!.entity).toEqual({ type: 'ip', value: '203.0.113.99' });
    expect(d[0]!.severity).toBe('critical');
    expect(d[0]!.remediation).toBeUndefined();
    expect(d[0]!.explanation).toBe(
      'deploy logged in over ssh from 203.0.113.99 after 9 failed logins within 1h (users tried: root, admin, deploy)',
    );
    // The successful login is in the evidence, last.
    expect(d[0]!.evidence.at(-1)?.message).toContain('Accepted password for deploy');
  });
  it('stays quiet for a few typos before logging in, and for failures that are too old', () => {
    const typos = [...times(3, (i) => ssh.fail(i * 10 * S, '198.51.100.5', 'alice')), ssh.ok(40 * S, '198.51.100.5')];
    expect(run('leuko/ssh-bf-success', typos)).toEqual([]);
    const old = [...times(9, (i) => ssh.fail(i * M, '198.51.100.6')), ssh.ok(3 * 60 * M, '198.51.100.6')];
    expect(run('leuko/ssh-bf-success', old)).toEqual([]);
  });
  it('needs the success from the same address', () => {
    const ev = [...times(9, (i) => ssh.fail(i * M, '192.0.2.66')), ssh.ok(10 * M, '192.0.2.67')];
    expect(run('leuko/ssh-bf-success', ev)).toEqual([]);
  });
  it('reads real sshd lines', () => {
    const at = (s: number) =>
      `Mar  2 08:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    const lines = [
      ...times(
        8,
        (i) =>
          `${at(i * 20)} web1 sshd[${900 + i}]: Failed password for invalid user test${i} from 203.0.113.98 port ${40000 + i} ssh2`,
      ),
      `${at(200)} web1 sshd[990]: Accepted password for backup from 203.0.113.98 port 41000 ssh2`,
    ];
    expect(run('leuko/ssh-bf-success', parsed(lines)).map((d) => d.entity.value)).toEqual(['203.0.113.98']);
  });
});

describe('leuko/auth-bf-success', () => {
  it('alerts on a Dovecot login after a run of failures from the same address', () => {
    const at = (s: number) =>
      `Jan 15 08:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    const lines = [
      ...times(
        10,
        (i) =>
          `${at(i * 30)} mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<u${i}@example.org>, method=PLAIN, rip=198.51.100.77, lip=192.0.2.1, TLS, session=<a${i}>`,
      ),
      `${at(330)} mx1 dovecot: imap-login: Login: user=<u3@example.org>, method=PLAIN, rip=198.51.100.77, lip=192.0.2.1, mpid=9, TLS, session=<b1>`,
    ];
    const d = run('leuko/auth-bf-success', parsed(lines));
    expect(d.map((x) => x.entity.value)).toEqual(['198.51.100.77']);
    expect(d[0]!.explanation).toContain('u3@example.org logged in to dovecot');
  });
  it('alerts on a ProFTPD login after a run of failures from the same address', () => {
    const at = (s: number) =>
      `Jan 15 09:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    const lines = [
      ...times(
        9,
        (i) =>
          `${at(i * 20)} ftp1 proftpd[71${i}]: ftp1 (198.51.100.78[198.51.100.78]) - USER web (Login failed): Incorrect password`,
      ),
      `${at(200)} ftp1 proftpd[720]: ftp1 (198.51.100.78[198.51.100.78]) - USER web: Login successful.`,
    ];
    const d = run('leuko/auth-bf-success', parsed(lines));
    expect(d.map((x) => x.entity.value)).toEqual(['198.51.100.78']);
    expect(d[0]!.explanation).toContain('web logged in to proftpd');
  });
  it('alerts on a Samba logon after a run of wrong passwords from the same address', () => {
    const at = (s: number) =>
      `Jan 15 10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    const audit = (s: number, status: string) =>
      `${at(s)} fs1 smbd[2725]: Auth: [SMB2,(null)] user [WORKGROUP]\\[finance] at [Thu, 15 Jan 2026 10:00:00.030937 UTC] with [NTLMv2] status [${status}] workstation [WS] remote host [ipv4:198.51.100.79:62419] mapped to [WORKGROUP]\\[finance]. local host [ipv4:10.1.1.1:445]`;
    const lines = [...times(9, (i) => audit(i * 20, 'NT_STATUS_WRONG_PASSWORD')), audit(200, 'NT_STATUS_OK')];
    const d = run('leuko/auth-bf-success', parsed(lines));
    expect(d.map((x) => x.entity.value)).toEqual(['198.51.100.79']);
    expect(d[0]!.explanation).toContain('finance logged in to samba');
  });
  it('alerts on a Webmin login after a run of failures from the same address', () => {
    const at = (s: number) =>
      `Jan 15 11:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    const lines = [
      ...times(9, (i) => `${at(i * 20)} srv webmin[731${i}]: Invalid login as root from 198.51.100.80`),
      `${at(200)} srv webmin[7320]: Successful login as root from 198.51.100.80`,
    ];
    const d = run('leuko/auth-bf-success', parsed(lines));
    expect(d.map((x) => x.entity.value)).toEqual(['198.51.100.80']);
    expect(d[0]!.explanation).toContain('root logged in to webmin');
  });
  it('alerts on a SOGo and a Keycloak login after a run of failures from the same address', () => {
    const at = (s: number) =>
      `Jan 15 12:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    const sogo = [
      ...times(
        9,
        (i) =>
          `${at(i * 20)} sogod [26818]: SOGoRootPage Login from '198.51.100.81' for user 'ceo' might not have worked - password policy: 65535  grace: -1  expire: -1  bound: 0`,
      ),
      `${at(200)} sogod [26818]: SOGoRootPage successful login from '198.51.100.81' for user 'ceo' - expire: -1  grace: -1`,
    ];
    const kcAt = (s: number) =>
      `2026-01-15 13:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},000`;
    const kc = (s: number, type: string) =>
      `${kcAt(s)} ${type === 'LOGIN' ? 'INFO ' : 'WARN '} [org.keycloak.events] (executor-thread-1) type=${type}, realmId=master, clientId=account, userId=null, ipAddress=198.51.100.82, ${type === 'LOGIN' ? '' : 'error=invalid_user_credentials, '}username=ops`;
    const keycloak = [...times(9, (i) => kc(i * 20, 'LOGIN_ERROR')), kc(200, 'LOGIN')];
    const d = run('leuko/auth-bf-success', parsed([...sogo, ...keycloak]));
    expect(d.map((x) => x.entity.value)).toEqual(['198.51.100.81', '198.51.100.82']);
    expect(d[0]!.explanation).toContain('ceo logged in to sogo');
    expect(d[1]!.explanation).toContain('ops logged in to keycloak');
  });
});
