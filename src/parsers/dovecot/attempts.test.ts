import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const at = (s: number) =>
  `Jan 29 05:${String(30 + Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
const pam = (s: number, ip: string) =>
  `${at(s)} mail auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=bob rhost=${ip}  user=bob`;
const passdbPam = (s: number, ip: string) =>
  `${at(s)} mail dovecot: auth-worker(304): pam(bob,${ip},<s1>): pam_authenticate() failed: Authentication failure (password mismatch?)`;
const passdbSql = (s: number, ip: string) => `${at(s)} mail dovecot: auth: sql(bob,${ip},<s2>): Password mismatch`;
const summary = (s: number, ip: string, n = 1) =>
  `${at(s)} mail dovecot: imap-login: Disconnected (auth failed, ${n} attempts in 2 secs): user=<bob>, method=PLAIN, rip=${ip}, lip=192.0.2.1, TLS, session=<s3>`;

function read(lines: readonly string[]) {
  const parse = createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });
  return lines.map((l) => {
    const ev = parse(l)!.event;
    return [ev['event.outcome'], ev['leuko.auth.repeat'] === true] as const;
  });
}

describe('dovecot: one failed login written several times', () => {
  it('counts the first record of each attempt and flags the others, all still failures', () => {
    const ip = '203.0.113.40';
    expect(read([pam(0, ip), passdbPam(0, ip), summary(2, ip)])).toEqual([
      ['failure', false],
      ['failure', true],
      ['failure', true],
    ]);
    expect(read([passdbSql(0, ip), passdbSql(1, ip), summary(2, ip, 2)])).toEqual([
      ['failure', false],
      ['failure', false],
      ['failure', true],
    ]);
  });
  it('counts the login process alone (the default, auth_verbose off), and other addresses apart', () => {
    expect(read([summary(0, '203.0.113.41'), summary(30, '203.0.113.41')])).toEqual([
      ['failure', false],
      ['failure', false],
    ]);
    expect(read([passdbSql(0, '203.0.113.42'), summary(1, '203.0.113.43')])).toEqual([
      ['failure', false],
      ['failure', false],
    ]);
  });

  it('still flags the summary of an attempt written before a restart (snapshot and restore)', () => {
    for (const format of ['dovecot', 'auto'] as const) {
      const ctx = { clock: createManualClock(Date.UTC(2026, 10, 1)) };
      const first = createParser(format, ctx);
      expect(first(passdbPam(0, '203.0.113.44'))?.event['leuko.auth.repeat']).toBeUndefined();
      const state = first.snapshot?.();
      expect(state).toBeTypeOf('string');
      const second = createParser(format, ctx);
      second.restore?.(state!);
      expect(second(summary(2, '203.0.113.44'))?.event['leuko.auth.repeat']).toBe(true);
      // Without the state, the summary would be counted again.
      expect(createParser(format, ctx)(summary(2, '203.0.113.44'))?.event['leuko.auth.repeat']).toBeUndefined();
    }
  });
});
