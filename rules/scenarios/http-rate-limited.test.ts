import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

/** nginx's error-log line for a request refused by `limit_req`. */
const refused = (s: number, ip: string) =>
  `2026/03/02 08:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} [error] 812#812: *${s} limiting requests, excess: 20.${s % 10}00 by zone "perip", client: ${ip}, server: example.org, request: "GET /search?q=${s} HTTP/1.1", host: "example.org"`;

describe('leuko/http-rate-limited', () => {
  it('fires on a client refused again and again', () => {
    const ev = parsed(times(60, (i) => refused(Math.floor(i / 4), '203.0.113.90')));
    expect(fired('leuko/http-rate-limited', ev)).toEqual(['203.0.113.90']);
  });
  it('stays quiet for a browser that bursts once, and for refusals spread out', () => {
    expect(fired('leuko/http-rate-limited', parsed(times(12, () => refused(0, '198.51.100.91'))))).toEqual([]);
    expect(fired('leuko/http-rate-limited', parsed(times(60, (i) => refused(i * 15, '198.51.100.92'))))).toEqual([]);
  });
});
