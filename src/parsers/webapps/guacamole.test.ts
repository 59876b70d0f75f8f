import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';
import { guacamoleClient } from './guacamole.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const auto = () => createParser('auto', { clock: createManualClock(NOW) });
const HEAD = '2024-06-15T09:13:34,820Z [http-nio-8080-exec-5] WARN  o.a.g.r.auth.AuthenticationService - ';

describe('guacamole', () => {
  it('reads a refused login behind `docker compose logs`, the client before the proxy', () => {
    const r = auto()(
      `guacamole_compose   | ${HEAD}Authentication attempt from [203.0.113.5, 172.18.0.2] for user "admin" failed.`,
    );
    expect(r?.time).toBe(Date.parse('2024-06-15T09:13:34.820Z'));
    expect(r?.event).toMatchObject({
      'event.dataset': 'guacamole',
      'event.outcome': 'failure',
      'event.category': ['web', 'authentication'],
      'source.ip': '203.0.113.5',
      'user.name': 'admin',
    });
  });
  it("reads Logback's time of day and a login", () => {
    const p = auto();
    const r = p(
      '12:57:32.907 [http-nio-8080-exec-10] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from 198.51.100.7 for user "guacadmin" failed.',
    );
    expect(r?.event['source.ip']).toBe('198.51.100.7');
    expect(new Date(r!.time).getMinutes()).toBe(57);
    const ok = p(
      '12:58:00.001 [http-nio-8080-exec-2] INFO  o.a.g.r.auth.AuthenticationService - User "guacadmin" successfully authenticated from 198.51.100.7.',
    );
    expect(ok?.event).toMatchObject({
      'event.outcome': 'success',
      'source.ip': '198.51.100.7',
      'user.name': 'guacadmin',
    });
  });
  it("takes the time of Tomcat's two-line record from its head", () => {
    const p = auto();
    expect(p('apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn')?.event['event.outcome']).toBeUndefined();
    const r = p('WARNING: Authentication attempt from 192.0.2.9 for user "pippo" failed.');
    expect(r?.event['source.ip']).toBe('192.0.2.9');
    expect(r?.time).toBe(new Date(2013, 3, 15, 20, 34, 8).getTime());
  });
  it('never takes an address from the user name', () => {
    const r = auto()(
      `${HEAD}Authentication attempt from 203.0.113.5 for user "x" failed. Authentication attempt from 10.66.66.66 for user "y" failed.`,
    );
    expect(r?.event['source.ip']).toBe('203.0.113.5');
    const ok = auto()(
      `${HEAD.replace('WARN ', 'INFO ')}User "a" successfully authenticated from 10.66.66.66." successfully authenticated from 203.0.113.6.`,
    );
    expect(ok?.event['source.ip']).toBe('203.0.113.6');
  });
  it('reads the forwarded list from its right end, and drops one that is not addresses', () => {
    // A public peer is the client itself: the header it sent is ignored.
    expect(guacamoleClient('[10.66.66.66, 203.0.113.8]')).toBe('203.0.113.8');
    // A proxy in front: the entry it appended, never one further left.
    expect(guacamoleClient('[10.66.66.66, 198.51.100.9, 127.0.0.1]')).toBe('198.51.100.9');
    expect(guacamoleClient('[198.51.100.9, 127.0.0.1]')).toBe('198.51.100.9');
    expect(guacamoleClient('[x, 127.0.0.1]')).toBeUndefined();
    expect(auto()(`${HEAD}Authentication attempt from [1.2.3, 127.0.0.1] for user "a" failed.`)).toBeNull();
  });
  it('leaves other lines to their readers', () => {
    const p = auto();
    expect(
      p('Jun 14 09:00:00 web1 sshd[1]: Failed password for root from 203.0.113.1 port 22 ssh2')?.event['event.dataset'],
    ).toBe('sshd');
    expect(p('2024-06-15 13:05:08 user2 203.0.113.12 failed to login')?.event['event.dataset']).toBe('hestiacp');
    expect(
      p('12:57:32.907 [main] WARN  o.a.g.SomethingElse - Authentication attempt from 203.0.113.1 for user "a" failed.')
        ?.event['event.dataset'],
    ).not.toBe('guacamole');
  });
});
