import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (line: string) => createParser('auto', { clock: createManualClock(NOW) })(line)?.event;
const FAILED = { 'event.category': ['web', 'authentication'], 'event.outcome': 'failure' };

describe('self-hosted applications: Centreon, DirectAdmin, SquirrelMail, Tine 2.0, Group-Office', () => {
  it('reads the failed logins, the address before or after the name', () => {
    expect(
      parse("2024-06-14 09:00:00|-1|0|0|[WEB] [192.0.2.7] Authentication failed for 'admin' : password mismatch"),
    ).toMatchObject({ ...FAILED, 'event.dataset': 'centreon', 'source.ip': '192.0.2.7', 'user.name': 'admin' });
    expect(parse("2024:06:14-09:00:00: '192.0.2.8' 5 failed login attempt. Invalid account 'bob'")).toMatchObject({
      ...FAILED,
      'event.dataset': 'directadmin',
      '@timestamp': expect.stringMatching(/^2024-06-1[45]T/),
      'source.ip': '192.0.2.8',
      'user.name': 'bob',
    });
    expect(parse("2024:06:14-09:00:00: '192.0.2.8' 2 failed login attempts. Account 'bob' via 'admin'")).toMatchObject({
      'user.name': 'bob',
    });
    expect(
      parse('06/14/2024 09:00:00 [LOGIN_ERROR] bob (example.org) from 192.0.2.9: Unknown user or password incorrect.'),
    ).toMatchObject({ ...FAILED, 'event.dataset': 'squirrelmail', 'source.ip': '192.0.2.9', 'user.name': 'bob' });
    expect(
      parse(
        'b8e03 ffff3 -- none -- - 2024-06-14T09:00:00+00:00 WARN (4): Tinebase_Controller::login::106 Login with username bob from 192.0.2.10 failed (-3)!',
      ),
    ).toMatchObject({
      ...FAILED,
      'event.dataset': 'tine20',
      '@timestamp': '2024-06-14T09:00:00.000Z',
      'user.name': 'bob',
    });
    expect(parse('[2024-06-14 09:00:00]LOGIN FAILED for user: "bob" from IP: 2001:db8::5')).toMatchObject({
      ...FAILED,
      'event.dataset': 'groupoffice',
      'source.ip': '2001:db8::5',
    });
  });

  it('reads the logins these logs write as successes', () => {
    expect(parse('[2024-06-14 09:00:00]LOGIN SUCCESS for user: "bob" from IP: 192.0.2.11')).toMatchObject({
      'event.outcome': 'success',
      'user.name': 'bob',
    });
    expect(parse("2024:06:14-09:00:00: '192.0.2.12' successful login to 'bob' after 1 attempts")).toMatchObject({
      'event.outcome': 'success',
      'user.name': 'bob',
    });
    expect(parse("2024-06-14 09:00:00|-1|0|0|[WEB] [192.0.2.7] Authentication succeeded for 'admin'")).toMatchObject({
      'event.outcome': 'success',
    });
  });

  it('keeps the address the application wrote when the name plants another', () => {
    expect(
      parse(
        '06/14/2024 09:00:00 [LOGIN_ERROR] x (a) from 10.66.66.66: Unknown user or password incorrect. (example.org) from 192.0.2.9: Unknown user or password incorrect.',
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.9' });
    expect(
      parse('[2024-06-14 09:00:00]LOGIN FAILED for user: "x" from IP: 10.66.66.66" from IP: 192.0.2.13'),
    ).toMatchObject({ 'source.ip': '192.0.2.13' });
    expect(
      parse(
        'b8e03 ffff3 -- none -- - 2024-06-14T09:00:00+00:00 WARN (4): Tinebase_Controller::login::106 Login with username x from 10.66.66.66 failed (-1)! from 192.0.2.10 failed (-3)!',
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.10' });
  });

  it('leaves lines of other shapes alone', () => {
    expect(parse('2024-06-14 09:00:00|-1|0|0|[WEB] [192.0.2.7] Contact admin logged out')?.['event.outcome']).toBe(
      undefined,
    );
    expect(parse('06/14/2024 09:00:00 [LOGIN] bob (example.org) from 192.0.2.9: ')?.['event.outcome']).toBe(undefined);
    expect(parse('deadbeef is not a log line')?.['event.outcome']).toBe(undefined);
  });
});

describe('ZNC and SoftEther VPN (own logs)', () => {
  it('reads ZNC failed logins and connections, with or without the port', () => {
    expect(parse('[2024-06-14 09:00:00] [bob] failed to login from 192.0.2.20:65001')).toMatchObject({
      'event.dataset': 'znc',
      'event.category': ['authentication'],
      'event.outcome': 'failure',
      'source.ip': '192.0.2.20',
      'user.name': 'bob',
    });
    expect(parse('[2024-06-14 09:00:00] [bob] connected to ZNC from 192.0.2.20')).toMatchObject({
      'event.outcome': 'success',
    });
    expect(parse('[2024-06-14 09:00:00] [bob] disconnected from ZNC from 192.0.2.20')?.['event.outcome']).toBe(
      undefined,
    );
    expect(
      parse('[2024-06-14 09:00:00] [x] failed to login from 10.66.66.66] connected to ZNC from 192.0.2.21'),
    ).toMatchObject({ 'event.outcome': 'success', 'source.ip': '192.0.2.21' });
  });

  it('reads SoftEther refused users, the address after the name', () => {
    expect(
      parse(
        '2024-06-14 09:00:00.781 Connection "CID-72": User authentication failed. The user name that has been provided was "x", from 10.66.66.66.", from 192.0.2.22.',
      ),
    ).toMatchObject({
      'event.dataset': 'softethervpn',
      'event.outcome': 'failure',
      'source.ip': '192.0.2.22',
      'user.name': 'x", from 10.66.66.66.',
    });
  });
});

describe('Gitea, OpenVPN and the PHP applications behind a web server', () => {
  it("drops a Gitea line whose user name (repeated in the reason) spells a second ' from ADDR:PORT: '", () => {
    const line = (u: string) =>
      `2024/06/14 09:00:00 ...ers/web/auth/auth.go:200:SignInPost() [I] Failed authentication attempt for ${u} from 192.0.2.30:39522: user does not exist [uid: 0, name: ${u}]`;
    expect(parse(line('bob'))).toMatchObject({ ...FAILED, 'event.dataset': 'gitea', 'source.ip': '192.0.2.30' });
    expect(createParser('auto', { clock: createManualClock(NOW) })(line('x from 10.66.66.66:1: y'))).toBeNull();
  });
  it('keeps packets without the tls-auth key apart from refused logins', () => {
    expect(
      parse(
        '2024-06-14 09:00:00 192.0.2.31:1194 TLS Error: incoming packet authentication failed from [AF_INET]192.0.2.31:1194',
      ),
    ).toMatchObject({
      'event.dataset': 'openvpn',
      'event.action': 'openvpn_tls_auth_failure',
      'source.ip': '192.0.2.31',
    });
    expect(
      parse(
        '2024-06-14 09:00:00 bob/192.0.2.32:1194 TLS Auth Error: Auth Username/Password verification failed for peer',
      ),
    ).toMatchObject({
      'event.category': ['authentication'],
      'event.action': 'openvpn_auth_failure',
      'source.ip': '192.0.2.32',
      'user.name': 'bob',
    });
  });
  it('reads only the refusals among the PHP messages a web server relays', () => {
    const nginx = (msg: string) =>
      `2024/06/14 09:00:00 [error] 298#298: *1 FastCGI sent in stderr: "PHP message: ${msg}" while reading response header from upstream, client: 192.0.2.33, server: _, request: "POST /login HTTP/1.1", host: "wiki.example.org"`;
    expect(parse(nginx('Failed login for bob@example.org'))).toMatchObject({
      ...FAILED,
      'source.ip': '192.0.2.33',
      'user.name': 'bob@example.org',
    });
    expect(parse(nginx('PHP Warning: Undefined array key "x"'))).not.toHaveProperty('event.outcome');
  });
});
