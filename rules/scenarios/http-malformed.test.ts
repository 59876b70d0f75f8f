import { describe, expect, it } from 'vitest';
import { fired, http, malformed, parsed } from './test-kit.js';

describe('leuko/http-malformed', () => {
  it('fires on three binary or garbage request lines', () => {
    const ev = [
      malformed(0, '1.2.3.4', '\\x16\\x03\\x01\\x00'),
      malformed(1, '1.2.3.4', 'HELP'),
      malformed(2, '1.2.3.4', 'Gh0st\\xAD\\x00'),
    ];
    expect(fired('leuko/http-malformed', ev)).toEqual(['1.2.3.4']);
  });
  it('ignores well-formed requests that got a 400', () => {
    expect(
      fired(
        'leuko/http-malformed',
        [0, 1, 2, 3].map((t) => http(t, 'a', '/api?x=1', 400)),
      ),
    ).toEqual([]);
  });
});

describe('leuko/http-invalid-version', () => {
  const line = (ip: string, version: string, status = 400) =>
    `${ip} - - [02/Dec/2025:19:47:00 +0000] "GET / HTTP/${version}" ${status} 157 "-" "Mozilla/5.0 (X11; Linux x86_64)"`;
  it('fires on one request naming a version no client speaks, whatever the answer', () => {
    expect(fired('leuko/http-invalid-version', parsed([line('192.0.2.7', '1.2')]))).toEqual(['192.0.2.7']);
    expect(fired('leuko/http-invalid-version', parsed([line('192.0.2.8', '2.1', 200)]))).toEqual(['192.0.2.8']);
    expect(fired('leuko/http-invalid-version', parsed([line('2001:db8::9', '4.0')]))).toEqual(['2001:db8::9']);
  });
  it('ignores the real versions, written either way, and request lines without one', () => {
    const real = ['0.9', '1.0', '1.1', '2', '2.0', '3', '3.0'].map((v) => line('198.51.100.4', v, 200));
    const bare = '198.51.100.4 - - [02/Dec/2025:19:47:00 +0000] "GET /" 400 157 "-" "-"';
    expect(fired('leuko/http-invalid-version', parsed([...real, bare]))).toEqual([]);
  });
});
