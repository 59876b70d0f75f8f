import { describe, expect, it } from 'vitest';
import { fired, http, parsed } from './test-kit.js';

describe('leuko/http-open-proxy', () => {
  it('fires on CONNECT and on absolute-URL requests, whatever the answer', () => {
    expect(
      fired('leuko/http-open-proxy', [http(0, '203.0.113.30', 'www.google.com:443', 400, { method: 'CONNECT' })]),
    ).toEqual(['203.0.113.30']);
    expect(fired('leuko/http-open-proxy', [http(0, '203.0.113.31', 'HTTP://azenv.net/', 404)])).toEqual([
      '203.0.113.31',
    ]);
  });
  it('reads real access lines', () => {
    const ev = parsed([
      '203.0.113.32 - - [14/Jun/2024:18:00:00 +0000] "GET http://azenv.net/ HTTP/1.1" 400 166 "-" "Go-http-client/1.1"',
      '203.0.113.33 - - [14/Jun/2024:18:00:01 +0000] "CONNECT api.ipify.org:443 HTTP/1.1" 400 166 "-" "-"',
    ]);
    expect(fired('leuko/http-open-proxy', ev)).toEqual(['203.0.113.32', '203.0.113.33']);
  });
  it('stays quiet for ordinary requests, including URLs in the query string', () => {
    const ev = [
      http(0, '198.51.100.8', '/login?next=http://example.org/home', 302),
      http(1, '198.51.100.8', '/http://not-absolute', 404),
      http(2, '198.51.100.8', '/', 200, { method: 'OPTIONS' }),
    ];
    expect(fired('leuko/http-open-proxy', ev)).toEqual([]);
  });
});
