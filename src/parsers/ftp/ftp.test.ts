import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (format: string, line: string) => createParser(format, { clock: createManualClock(NOW) })(line)?.event;

describe('proftpd', () => {
  it.each(['proftpd', 'auto'])('reads an unknown user from the syslog form (%s)', (format) => {
    const e = parse(
      format,
      'Dec  5 15:44:32 serv1 proftpd[70944]: serv1.example.com (example.com[::ffff:203.0.113.4]) - USER jtittle@example.org: no such user found from example.com [203.0.113.4] to 192.0.2.1:21',
    );
    expect(e).toMatchObject({
      'event.dataset': 'proftpd',
      'event.category': ['authentication'],
      'event.action': 'ftp_login',
      'event.outcome': 'failure',
      'source.ip': '203.0.113.4',
      'user.name': 'jtittle@example.org',
      'leuko.ftp.invalid_user': true,
      'process.name': 'proftpd',
      'process.pid': 70944,
    });
  });

  it('reads its SystemLog file (millisecond stamps, no colon after the pid)', () => {
    const e = parse(
      'proftpd',
      '2023-09-05 19:07:03,851 server03 proftpd[127258] localhost (2a02:8070::b173[2a02:8070::b173]): USER ccvv_ftp1 (Login failed): No such user found',
    );
    expect(e).toMatchObject({
      '@timestamp': expect.stringMatching(/^2023-09-0[56]T/),
      'event.outcome': 'failure',
      'source.ip': '2a02:8070::b173',
      'user.name': 'ccvv_ftp1',
      'event.reason': 'No such user found',
      'leuko.ftp.invalid_user': true,
    });
  });

  it('tells a wrong password, a refused root login, the attempt limit and a login apart', () => {
    const at = 'Jun 14 09:00:00 ftp1 proftpd[5517]: ftp1 (203.0.113.13[203.0.113.13]) - ';
    expect(parse('auto', `${at}USER bob (Login failed): Incorrect password`)).toMatchObject({
      'event.outcome': 'failure',
      'user.name': 'bob',
      'event.reason': 'Incorrect password',
    });
    expect(
      parse('auto', `${at}USER bob (Login failed): Incorrect password`)?.['leuko.ftp.invalid_user'],
    ).toBeUndefined();
    expect(parse('auto', `${at}SECURITY VIOLATION: Root login attempted`)).toMatchObject({
      'event.outcome': 'failure',
      'user.name': 'root',
    });
    expect(parse('auto', `${at}Maximum login attempts (3) exceeded`)).toMatchObject({
      'event.action': 'ftp_login_limit',
      'event.outcome': 'failure',
      'source.ip': '203.0.113.13',
    });
    expect(parse('auto', `${at}USER bob: Login successful.`)).toMatchObject({
      'event.action': 'ftp_login',
      'event.outcome': 'success',
      'user.name': 'bob',
    });
    expect(parse('auto', `${at}FTP session opened.`)).toMatchObject({ 'event.action': 'ftp_session_start' });
  });

  it("takes the address from the session group, never from a user name's fake one", () => {
    const e = parse(
      'auto',
      'Jun 14 00:09:59 h.example proftpd[17839] h.example (::ffff:198.51.100.100[::ffff:198.51.100.100]): USER h.example proftpd[17424] h.example (hihoinjection[1.2.3.44]): no such user found from ::ffff:198.51.100.100 [::ffff:198.51.100.100] to ::ffff:192.0.2.194:21',
    );
    expect(e?.['source.ip']).toBe('198.51.100.100');
    expect(e?.['event.outcome']).toBe('failure');
  });

  it('leaves server-wide records without a client', () => {
    const e = parse(
      'proftpd',
      'Jun 14 09:00:00 ftp1 proftpd[1]: ftp1 - ProFTPD 1.3.8 (stable) (built x) standalone mode STARTUP',
    );
    expect(e?.['event.dataset']).toBe('proftpd');
    expect(e?.['source.ip']).toBeUndefined();
  });
});

describe('vsftpd', () => {
  it.each(['vsftpd', 'auto'])('reads its own log: failed and accepted logins, connections (%s)', (format) => {
    expect(
      parse(format, 'Mon Jun  9 12:08:53 2020 [pid 27244] [user] FAIL LOGIN: Client "::ffff:198.51.100.90"'),
    ).toMatchObject({
      '@timestamp': expect.stringMatching(/^2020-06-(09|10)T/),
      'event.dataset': 'vsftpd',
      'event.action': 'ftp_login',
      'event.outcome': 'failure',
      'source.ip': '198.51.100.90',
      'user.name': 'user',
    });
    expect(
      parse(format, 'Mon Jun 8 12:12:43 2020 [pid 27307] [ubuntu] OK LOGIN: Client "198.51.100.89"'),
    ).toMatchObject({
      'event.outcome': 'success',
      'user.name': 'ubuntu',
    });
    expect(parse(format, 'Mon Jun 8 12:08:44 2020 [pid 27245] CONNECT: Client "198.51.100.89"')).toMatchObject({
      'event.action': 'ftp_connection',
      'source.ip': '198.51.100.89',
    });
  });

  it('counts a user-list refusal, which has no FAIL LOGIN record, but not the reply to a failed login', () => {
    expect(
      parse(
        'auto',
        'Mon Apr 12 15:19:22 2021 [pid 15685] [www-data] FTP response: Client "192.0.2.4", "530 Permission denied."',
      ),
    ).toMatchObject({ 'event.outcome': 'failure', 'user.name': 'www-data' });
    expect(
      parse(
        'auto',
        'Mon Apr 12 15:19:22 2021 [pid 15685] [bob] FTP response: Client "192.0.2.4", "530 Login incorrect."',
      )?.['event.outcome'],
    ).toBeUndefined();
  });

  it('reads its syslog records and keeps PAM records as pam events', () => {
    expect(
      parse('syslog', 'Jun 14 09:00:00 ftp1 vsftpd[12]: [pid 12] [alice] FAIL LOGIN: Client "192.0.2.7"'),
    ).toMatchObject({
      'event.dataset': 'vsftpd',
      'event.outcome': 'failure',
      'user.name': 'alice',
      'source.ip': '192.0.2.7',
    });
    expect(
      parse(
        'auto',
        'Oct 23 21:15:42 vps vsftpd: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=test rhost=192.0.2.161',
      ),
    ).toMatchObject({ 'event.dataset': 'pam', 'event.outcome': 'failure', 'source.ip': '192.0.2.161' });
  });

  it('drops a record holding a second `Client "`: the user name or command may be the fake one', () => {
    const line =
      'Mon Apr 12 15:19:22 2021 [pid 1] [x] FAIL LOGIN: Client "10.66.66.66"] FAIL LOGIN: Client "192.0.2.4"';
    expect(createParser('vsftpd', { clock: createManualClock(NOW) })(line)).toBeNull();
  });
});

describe('pure-ftpd', () => {
  it.each(['pure-ftpd', 'auto'])('reads failed and accepted logins (%s)', (format) => {
    expect(
      parse(
        format,
        'Jan 31 16:54:07 desktop pure-ftpd: (?@192.0.2.194) [WARNING] Authentication failed for user [Administrator]',
      ),
    ).toMatchObject({
      'event.dataset': 'pure-ftpd',
      'event.action': 'ftp_login',
      'event.outcome': 'failure',
      'source.ip': '192.0.2.194',
      'user.name': 'Administrator',
    });
    expect(
      parse(format, 'Jan 31 16:55:07 desktop pure-ftpd: (bob@192.0.2.5) [INFO] bob is now logged in'),
    ).toMatchObject({
      'event.outcome': 'success',
      'user.name': 'bob',
      'source.ip': '192.0.2.5',
    });
  });

  it('reads a user name holding a fake prefix as a user name', () => {
    const e = parse(
      'auto',
      'Jan 31 16:54:07 desktop pure-ftpd: (?@::ffff:192.0.2.9) [WARNING] Authentication failed for user [x) (?@10.66.66.66) [WARNING] y]',
    );
    expect(e).toMatchObject({ 'source.ip': '192.0.2.9', 'user.name': 'x) (?@10.66.66.66) [WARNING] y' });
  });
});
