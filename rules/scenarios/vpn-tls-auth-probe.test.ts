import { describe, expect, it } from 'vitest';
import { fired, parsed, run, times } from './test-kit.js';

const NAME = 'leuko/vpn-tls-auth-probe';
/** A packet OpenVPN dropped for a wrong tls-auth HMAC, in its own log, `s` seconds after 08:00:00. */
const probe = (s: number, ip: string) => {
  const t = new Date(Date.UTC(2026, 2, 2, 8, 0, 0) + s * 1000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)} ${ip}:45321 TLS Error: incoming packet authentication failed from [AF_INET]${ip}:45321`;
};

describe('leuko/vpn-tls-auth-probe', () => {
  it('alerts on repeated packets without the key from one address, without asking for a ban', () => {
    const d = run(NAME, parsed(times(5, (i) => probe(i, '203.0.113.70'))));
    expect(d.map((x) => x.entity.value)).toEqual(['203.0.113.70']);
    expect(d[0]!.remediation).toBeUndefined();
    expect(d[0]!.explanation).toContain('not banned');
  });
  it('stays quiet for a stray packet now and then, and never feeds the banning auth-bf', () => {
    const ev = parsed(times(6, (i) => probe(i * 60, '198.51.100.71')));
    expect(run(NAME, ev)).toEqual([]);
    expect(fired('leuko/auth-bf', parsed(times(8, (i) => probe(i, '198.51.100.72'))))).toEqual([]);
  });
});
