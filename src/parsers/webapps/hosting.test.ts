import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parse = createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });
const gin = (status: number, ip: string, request: string) =>
  `[GIN] 2024/06/14 - 09:00:00 | ${status} |     505.317µs |    ${ip} | ${request}`;
const cpanel = (ip: string, user: string) =>
  `[2024-06-14 09:00:00 +0000] info [cpaneld] ${ip} - ${user} "POST /login/?login_only=1 HTTP/1.1" FAILED LOGIN cpaneld: user name not provided or invalid user`;
const wings = (ip: string, user: string) =>
  `WARN: [Jun 14 09:00:00.643] failed to validate user credentials (invalid format) ip=${ip}:28050 subsystem=sftp username=${user}`;

describe('Gotify (GIN request log)', () => {
  it('reads a refused log-in', () => {
    expect(parse(gin(401, '198.51.100.7', 'POST     "/client"'))!.event).toMatchObject({
      'event.dataset': 'gotify',
      'event.category': ['web', 'authentication'],
      'event.outcome': 'failure',
      'source.ip': '198.51.100.7',
      'url.path': '/client',
    });
  });
  it('reads the same through syslog, and keeps its other lines plain events', () => {
    expect(
      parse(`Jun 14 09:00:00 srv gotify[812]: ${gin(401, '198.51.100.7', 'GET      "/current/user"')}`)!.event,
    ).toMatchObject({
      'event.dataset': 'gotify',
      'event.outcome': 'failure',
      'source.ip': '198.51.100.7',
    });
    expect(
      parse(`Jun 14 09:00:00 srv gotify[812]: ${gin(200, '198.51.100.7', 'GET      "/"')}`)!.event['source.ip'],
    ).toBeUndefined();
  });
  it('leaves other requests alone', () => {
    expect(parse(gin(200, '198.51.100.7', 'POST     "/client"'))).toBeNull();
    expect(parse(gin(401, '198.51.100.7', 'POST     "/message"'))).toBeNull();
  });
});

describe('cPanel login_log', () => {
  it('reads a failed login with the user tried and the reason', () => {
    expect(parse(cpanel('198.51.100.7', 'admin'))!.event).toMatchObject({
      'event.dataset': 'cpanel',
      'event.outcome': 'failure',
      'source.ip': '198.51.100.7',
      'user.name': 'admin',
      'service.name': 'cpaneld',
      'url.path': '/login/',
      'event.reason': 'user name not provided or invalid user',
      '@timestamp': '2024-06-14T09:00:00.000Z',
    });
  });
  it('keeps the address before a user name that plants another', () => {
    const ev = parse(cpanel('198.51.100.7', 'x 203.0.113.9 - root'))!.event;
    expect(ev['source.ip']).toBe('198.51.100.7');
  });
});

describe('Pterodactyl Wings SFTP', () => {
  it('reads a refused log-in', () => {
    expect(parse(wings('198.51.100.7', 'admin'))!.event).toMatchObject({
      'event.dataset': 'pterodactyl-wings',
      'event.category': ['authentication'],
      'event.outcome': 'failure',
      'source.ip': '198.51.100.7',
      'source.port': 28050,
      'user.name': 'admin',
      'event.reason': 'invalid format',
    });
  });
  it('keeps the address before a user name that plants another', () => {
    expect(parse(wings('198.51.100.7', 'x ip=203.0.113.9:1 subsystem=sftp username=y'))!.event['source.ip']).toBe(
      '198.51.100.7',
    );
  });
  it('reads the same through the journal', () => {
    expect(parse(`Jun 14 09:00:00 srv wings[77]: ${wings('2001:db8::7', 'admin')}`)!.event).toMatchObject({
      'event.dataset': 'pterodactyl-wings',
      'source.ip': '2001:db8::7',
      'user.name': 'admin',
    });
  });
  it('leaves its other warnings alone', () => {
    expect(parse('WARN: [Jun 14 09:00:00.643] failed to write to websocket')).toBeNull();
  });
});
