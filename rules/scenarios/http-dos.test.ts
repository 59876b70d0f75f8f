import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

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

describe('leuko/http-cache-bypass', () => {
  const T0 = Date.UTC(2025, 11, 2, 19, 47, 0);
  const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  /** A combined-format line `ms` after T0. */
  const line = (ip: string, ms: number, url: string) => {
    const d = new Date(T0 + ms);
    const p = (n: number) => String(n).padStart(2, '0');
    const stamp = `${p(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
    return `${ip} - - [${stamp}] "GET ${url} HTTP/1.1" 200 3437 "https://www.example.com/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"`;
  };
  // Deterministic stand-ins for a tool's random numbers: 7 to 12 digits, all distinct.
  const digits = (i: number) => String(1_000_000 + i * 7_919_113).slice(0, 7 + (i % 6));

  it('fires on a burst of requests each with a fresh all-digit query string', () => {
    const burst = times(40, (i) => line('203.0.113.70', i * 50, `/?${digits(i)}`));
    expect(fired('leuko/http-cache-bypass', parsed(burst))).toEqual(['203.0.113.70']);
  });
  it('does not fire on fewer requests than the capacity, nor on one query string repeated', () => {
    const few = times(25, (i) => line('203.0.113.71', i * 50, `/?${digits(i)}`));
    const same = times(100, (i) => line('203.0.113.72', i * 50, '/?4182731049'));
    expect(fired('leuko/http-cache-bypass', parsed([...few, ...same]))).toEqual([]);
  });
  it('ignores pages polled with the Unix time from several tabs, millisecond stamps, versions and static files', () => {
    const unix = 1_764_704_820;
    const polling = times(600, (i) =>
      line('198.51.100.30', Math.floor(i / 3) * 1000, `/status?${unix + Math.floor(i / 3)}`),
    );
    const ms = times(100, (i) => line('198.51.100.31', i * 50, `/feed?${1_764_704_820_000 + i}`));
    const versions = times(100, (i) => line('198.51.100.32', i * 50, `/app?v=${1_000_000 + i}`));
    const assets = times(100, (i) => line('198.51.100.33', i * 50, `/theme.css?${1_000_000 + i}`));
    expect(fired('leuko/http-cache-bypass', parsed([...polling, ...ms, ...versions, ...assets]))).toEqual([]);
  });
});
