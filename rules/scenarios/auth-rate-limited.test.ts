import { describe, expect, it } from 'vitest';
import { selfHostedLines } from './self-hosted-lines.js';
import { fired, parsed, S, times } from './test-kit.js';

const START = Date.UTC(2026, 2, 2, 8, 0, 0);
const lines = selfHostedLines(START);

describe('leuko/auth-rate-limited', () => {
  it("fires on one refusal of Mailu's login limiter", () => {
    expect(fired('leuko/auth-rate-limited', parsed([lines.mailu(0, '203.0.113.40')]))).toEqual(['203.0.113.40']);
  });
  it("fires on cPHulk's lock-out of the address cPanel's record names, not on a plain failure", () => {
    const lockout = (ip: string, named: string) =>
      `[2026-03-02 08:00:00 +0000] info [cpaneld] ${ip} - bob "POST /login/?login_only=1 HTTP/1.1" FAILED LOGIN cpaneld: brute force attempt (user bob) has locked out IP ${named}`;
    expect(fired('leuko/auth-rate-limited', parsed([lockout('203.0.113.43', '203.0.113.43')]))).toEqual([
      '203.0.113.43',
    ]);
    // The user name is the client's text: a lock-out it writes for another address is a plain failure.
    expect(fired('leuko/auth-rate-limited', parsed([lockout('203.0.113.44', '198.51.100.44')]))).toEqual([]);
    expect(fired('leuko/auth-rate-limited', parsed([lines.cpanel(0, '203.0.113.45')]))).toEqual([]);
  });
  it('fires once per address within its blackhole', () => {
    const ev = parsed(times(4, (i) => lines.mailu(i * 10 * S, '203.0.113.41')));
    expect(fired('leuko/auth-rate-limited', ev)).toEqual(['203.0.113.41']);
  });
  it('ignores plain failed logins: those are counted by auth-bf', () => {
    const ev = parsed(times(3, (i) => lines.guacamole(i * S, '203.0.113.42')));
    expect(fired('leuko/auth-rate-limited', ev)).toEqual([]);
  });
});
