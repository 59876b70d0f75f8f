import { describe, expect, it } from 'vitest';
import { fired, http, parsed, times } from './test-kit.js';

describe('leuko/http-path-traversal', () => {
  it('fires on four distinct traversal attempts, double-encoded included', () => {
    const urls = [
      '/%2fetc%2fpasswd',
      '/%252E%252E%252Ffoo',
      '/download?file=..%5c..%5cwindows%5cwin.ini',
      '/static/..%c0%af..%c0%afetc/shadow',
    ];
    expect(
      fired(
        'leuko/http-path-traversal',
        urls.map((u, i) => http(i * S2, '127.0.0.1', u, 404)),
      ),
    ).toEqual(['127.0.0.1']);
  });
  it("reads nginx's error-log records, whose request names the traversal, and counts a URL both logs show once", () => {
    const err = (n: number, url: string) =>
      `2025/12/02 19:47:0${n} [error] 1#1: *${n} open() "/var/www/html/x" failed (2: No such file or directory), client: 198.51.100.23, server: _, request: "GET ${url} HTTP/1.1", host: "example.org"`;
    const acc = (n: number, url: string) =>
      `198.51.100.23 - - [02/Dec/2025:19:47:0${n} +0000] "GET ${url} HTTP/1.1" 404 153 "-" "curl/8.0"`;
    const urls = [
      '/..%2f..%2fetc%2fpasswd',
      '/static/%2e%2e/%2e%2e/etc/shadow',
      '/img?f=../../../../etc/hosts',
      '/dl?file=..%5c..%5cwindows%5cwin.ini',
    ];
    expect(fired('leuko/http-path-traversal', parsed(urls.map((u, i) => err(i, u))))).toEqual(['198.51.100.23']);
    // Three distinct URLs, each in both logs: the bucket's capacity, not past it.
    const both = urls.slice(0, 3).flatMap((u, i) => [acc(i, u), err(i, u)]);
    expect(fired('leuko/http-path-traversal', parsed(both))).toEqual([]);
  });
  it('ignores ordinary paths', () => {
    expect(
      fired(
        'leuko/http-path-traversal',
        times(20, (i) => http(i, 'a', `/docs/etc/${i}.html`, 200)),
      ),
    ).toEqual([]);
  });
});
const S2 = 1000;
