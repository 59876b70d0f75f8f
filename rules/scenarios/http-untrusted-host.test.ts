import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

/** A Nextcloud log record refusing a request for `host` from `ip`, `s` seconds into the hour. */
function domainError(ip: string, s: number, host: string): string {
  return JSON.stringify({
    reqId: `req${s}`,
    level: 1,
    time: new Date(Date.UTC(2023, 1, 14, 17, 0, s)).toISOString(),
    remoteAddr: ip,
    user: '--',
    app: 'core',
    method: 'GET',
    url: '/',
    message: `Trusted domain error. "${ip}" tried to access using "${host}" as host.`,
    userAgent: 'Mozilla/5.0 zgrab/0.x',
    version: '25.0.3.2',
  });
}

describe('leuko/http-untrusted-host', () => {
  it('fires on the sixth request for an unserved host name within a minute', () => {
    const ev = parsed(times(6, (i) => domainError('203.0.113.40', i * 5, i % 2 ? '198.51.100.1' : 'cloud.test.com')));
    expect(fired('leuko/http-untrusted-host', ev)).toEqual(['203.0.113.40']);
    expect(fired('leuko/http-untrusted-host', ev.slice(0, 5))).toEqual([]);
  });
  it('lets a slow trickle (a user with a stale bookmark) leak away', () => {
    const ev = parsed(times(8, (i) => domainError('198.51.100.9', i * 30, 'old.example.org')));
    expect(fired('leuko/http-untrusted-host', ev)).toEqual([]);
  });
});
