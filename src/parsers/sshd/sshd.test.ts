import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parser = () =>
  createParser('sshd', { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')), logPath: '/var/log/auth.log' });

describe('sshd', () => {
  it('reads a failed password with ECS fields', () => {
    const e = parser()(
      'Jun 14 09:00:00 web1 sshd[7]: Failed password for invalid user admin from 203.0.113.9 port 50022 ssh2',
    )?.event;
    expect(e).toMatchObject({
      'event.dataset': 'sshd',
      'event.category': ['authentication'],
      'event.action': 'ssh_login',
      'event.outcome': 'failure',
      'source.ip': '203.0.113.9',
      'source.port': 50022,
      'user.name': 'admin',
      'leuko.ssh.method': 'password',
      'leuko.ssh.invalid_user': true,
      'host.hostname': 'web1',
      'process.name': 'sshd',
      'process.pid': 7,
      'log.file.path': '/var/log/auth.log',
    });
  });

  it('reads the name tried, not the "invalid user" marker, from postponed and BSD PAM records', () => {
    const p = parser();
    const postponed = p(
      'Jun 14 09:00:01 web1 sshd[8]: Postponed keyboard-interactive for invalid user deploy from 198.51.100.4 port 40001 ssh2 [preauth]',
    )?.event;
    expect(postponed).toMatchObject({
      'event.action': 'ssh_auth_postponed',
      'user.name': 'deploy',
      'leuko.ssh.invalid_user': true,
      'source.ip': '198.51.100.4',
    });
    const bsd = p(
      'Jun 14 09:00:02 bsd1 sshd[9]: error: PAM: Authentication failure for illegal user guest from 198.51.100.5',
    )?.event;
    expect(bsd).toMatchObject({
      'event.action': 'pam_auth_failure',
      'event.outcome': 'failure',
      'user.name': 'guest',
      'leuko.ssh.invalid_user': true,
      'source.ip': '198.51.100.5',
    });
    const known = p(
      'Jun 14 09:00:03 bsd1 sshd[10]: error: PAM: Authentication failure for alice from 198.51.100.6',
    )?.event;
    expect(known?.['user.name']).toBe('alice');
    expect(known?.['leuko.ssh.invalid_user']).toBeUndefined();
  });

  it("reads Red Hat's legacy sshd(pam_unix) tag: the PAM failure is the attempt's only record", () => {
    const p = parser();
    const e = p(
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ',
    )?.event;
    expect(e).toMatchObject({
      'event.outcome': 'failure',
      'source.ip': '218.188.2.4',
      'process.name': 'sshd(pam_unix)',
    });
    const named = p(
      'Jun 15 02:04:59 combo sshd(pam_unix)[20882]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=220-135-151-1.hinet-ip.hinet.net  user=root',
    )?.event;
    expect(named).toMatchObject({
      'event.outcome': 'failure',
      'source.address': '220-135-151-1.hinet-ip.hinet.net',
      'user.name': 'root',
    });
    // A second rhost= (the user's text) leaves no address.
    const forged = p(
      'Jun 15 02:05:00 combo sshd(pam_unix)[20883]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser=x rhost=203.0.113.7  user=a rhost=198.51.100.1',
    )?.event;
    expect(forged?.['source.ip']).toBeUndefined();
  });

  it('gives a later address to a failure logged without one (same pid only)', () => {
    const p = parser();
    const first = p(
      'Nov 23 21:50:19 h sshd[8148]: Disconnecting: Too many authentication failures for root [preauth]',
    )?.event;
    expect(first?.['event.outcome']).toBe('failure');
    expect(first?.['source.ip']).toBeUndefined();
    expect(
      p('Nov 23 21:50:37 h sshd[7148]: Connection closed by 61.0.0.1 [preauth]')?.event['event.outcome'],
    ).toBeUndefined();
    const later = p('Nov 23 21:50:37 h sshd[8148]: Connection closed by 61.0.0.2 [preauth]')?.event;
    expect(later).toMatchObject({
      'event.outcome': 'failure',
      'source.ip': '61.0.0.2',
      'event.action': 'ssh_max_auth_tries',
    });
  });

  it('does not count key probing or the PAM line of an attempt twice', () => {
    const p = parser();
    expect(
      p('Jun 1 00:00:00 h sshd[1]: Failed publickey for git from 192.0.2.1 port 1 ssh2: RSA SHA256:x')?.event[
        'event.outcome'
      ],
    ).toBe('unknown');
    expect(
      p('Jun 1 00:00:00 h sshd[1]: Accepted publickey for git from 192.0.2.1 port 1 ssh2: ED25519 SHA256:y')?.event[
        'event.outcome'
      ],
    ).toBe('success');
    expect(
      p(
        'Jun 1 00:00:00 h sshd[2]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.2  user=root',
      )?.event['event.outcome'],
    ).toBe('unknown');
  });

  it('counts a login that follows failures for other users on the same connection', () => {
    const p = parser();
    p(
      'Mar  7 18:53:22 bar sshd[1558]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=root rhost=192.0.2.114',
    );
    const e = p('Mar  7 18:53:24 bar sshd[1558]: Accepted password for known from 192.0.2.114 port 52100 ssh2')?.event;
    expect(e).toMatchObject({
      'event.outcome': 'failure',
      'event.action': 'ssh_login_after_failures',
      'source.ip': '192.0.2.114',
    });
  });

  it('drops a line whose address attacker text makes ambiguous, unless the connection already told it', () => {
    const line =
      'Jun 1 00:00:00 h sshd[9]: Failed password for invalid user a from 10.6.6.6 port 1 ssh2: b from 203.0.113.5 port 2 ssh2';
    expect(parser()(line)).toBeNull();
    const p = parser();
    p('Jun 1 00:00:00 h sshd[9]: Connection from 203.0.113.5 port 2 on 192.0.2.1 port 22');
    expect(p(line)?.event['source.ip']).toBe('203.0.113.5');
  });

  it('reads bare sshd messages (no envelope) at the current time', () => {
    const r = parser()('Invalid user test from 198.51.100.2 port 4242');
    expect(r?.time).toBe(Date.parse('2024-06-15T12:00:00Z'));
    expect(r?.event['source.ip']).toBe('198.51.100.2');
    expect(parser()('hello world')).toBeNull();
  });

  it('reads journal entries rendered without a time (HOST PROG[PID]: MSG) at the current time', () => {
    for (const format of ['sshd', 'auto'] as const) {
      const p = createParser(format, { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
      const r = p('srv sshd[31602]: Failed password for invalid user ROOT from 194.117.26.69 port 50273 ssh2');
      expect(r?.time).toBe(Date.parse('2024-06-15T12:00:00Z'));
      expect(r?.event).toMatchObject({
        'event.outcome': 'failure',
        'source.ip': '194.117.26.69',
        'host.hostname': 'srv',
        'process.pid': 31602,
      });
      // Only a program whose handler knows the message, with a numeric pid, makes such a line.
      expect(p('srv frobnicate[12]: Failed password for root from 198.51.100.7 port 1 ssh2')).toBeNull();
      expect(p('srv sshd[x]: Failed password for root from 198.51.100.7 port 1 ssh2')).toBeNull();
      expect(p('note: sshd[12]: Failed password for root from 198.51.100.7 port 1 ssh2')).toBeNull();
    }
  });

  it("skips a kernel ring-buffer stamp before the message (fail2ban's __kernel_prefix)", () => {
    const p = parser();
    for (const line of [
      'Jun 14 09:00:00 srv sshd[20878]: kernel:[  970.699396]: Failed password for root from 192.0.2.10 port 42745 ssh2',
      'Jun 14 09:00:00 srv sshd[20879]: kernel: [970.699397] Failed password for root from 192.0.2.10 port 42745 ssh2',
    ])
      expect(p(line)?.event).toMatchObject({ 'event.outcome': 'failure', 'source.ip': '192.0.2.10' });
    // Not a stamp: the message stays as it is.
    const kept = p('Jun 14 09:00:00 srv sshd[1]: kernel:[abc] Failed password for root from 192.0.2.10 port 1 ssh2');
    expect(kept?.event['event.outcome']).toBeUndefined();
    expect(kept?.event['source.ip']).toBeUndefined();
  });

  it('keeps open connections across a restart (snapshot and restore), in every format that reads syslog lines', () => {
    // sshd lines reach the sshd handler whatever the source's format (a shared syslog file).
    for (const format of ['sshd', 'auto', 'syslog', 'exim', 'vsftpd', 'mysqld', 'nginx', 'apache-error'] as const) {
      const ctx = { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) };
      const first = createParser(format, ctx);
      // Connection 7 showed its address; connection 8 failed before showing it.
      first('Jun 14 09:00:00 web1 sshd[7]: Failed password for root from 203.0.113.70 port 50022 ssh2');
      const waiting = first('Jun 14 09:00:01 web1 sshd[8]: Disconnecting: Too many authentication failures [preauth]');
      expect(waiting?.event['source.ip']).toBeUndefined();
      const state = first.snapshot?.();
      expect(state).toBeTypeOf('string');

      const second = createParser(format, ctx);
      second.restore?.(state!);
      const late = second('Jun 14 09:00:02 web1 sshd[7]: Disconnecting: Too many authentication failures [preauth]');
      expect(late?.event).toMatchObject({ 'event.outcome': 'failure', 'source.ip': '203.0.113.70' });
      const closed = second('Jun 14 09:00:03 web1 sshd[8]: Connection closed by 203.0.113.71 port 4242 [preauth]');
      expect(closed?.event).toMatchObject({ 'event.outcome': 'failure', 'source.ip': '203.0.113.71' });
      // Another host's pid 7 is another connection.
      const other = second('Jun 14 09:00:04 web2 sshd[7]: Disconnecting: Too many authentication failures [preauth]');
      expect(other?.event['source.ip']).toBeUndefined();
      // A snapshot it cannot read leaves an empty parser.
      const fresh = createParser(format, ctx);
      fresh.restore?.('[1,2');
      fresh.restore?.(JSON.stringify({ handlers: { sshd: [['web1', 'x', 1, null, 5, {}]], nosuch: 1 } }));
      expect(
        fresh('Jun 14 09:00:05 web1 sshd[7]: Disconnecting: Too many authentication failures [preauth]')?.event[
          'source.ip'
        ],
      ).toBeUndefined();
    }
  });

  it("reads rsyslog's `message repeated N times: [ ... ]` as N more occurrences of the message", () => {
    const p = parser();
    const r = p(
      'Jun 14 09:00:00 web1 sshd[9]: message repeated 5 times: [ Failed password for root from 203.0.113.80 port 4242 ssh2]',
    );
    expect(r?.repeat).toBe(5);
    expect(r?.event).toMatchObject({ 'event.outcome': 'failure', 'source.ip': '203.0.113.80', 'leuko.repeated': 5 });
    const once = p(
      'Jun 14 09:00:01 web1 sshd[9]: message repeated 1 times: [ Failed password for root from 203.0.113.80 port 4242 ssh2]',
    );
    expect(once?.repeat).toBeUndefined();
    expect(once?.event['event.outcome']).toBe('failure');
    // Not rsyslog's wrapper (no brackets): the message stays as written, and means nothing to sshd.
    const bare = p(
      'Jun 14 09:00:02 web1 sshd[9]: message repeated 5 times: Failed password for root from 203.0.113.80 port 1 ssh2',
    );
    expect(bare?.repeat).toBeUndefined();
    expect(bare?.event['source.ip']).toBeUndefined();
  });
});
