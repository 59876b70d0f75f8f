import { describe, expect, it } from 'vitest';
import { accessLine as line, fired, http, malformed, parsed, S, times } from './test-kit.js';

describe('leuko/http-probing', () => {
  it('fires on eleven distinct 404s in a few seconds', () => {
    expect(
      fired(
        'leuko/http-probing',
        times(11, (i) => http(i * 100, '172.17.0.1', `/admin${i}.php`, 404)),
      ),
    ).toEqual(['172.17.0.1']);
  });
  it('counts binary request lines answered 400', () => {
    expect(
      fired(
        'leuko/http-probing',
        times(11, (i) => malformed(i * 100, '1.2.3.4', `\\x16\\x03\\x01\\x0${i}`)),
      ),
    ).toEqual(['1.2.3.4']);
  });
  it('ignores static files, repeats of one path, and successes', () => {
    expect(
      fired(
        'leuko/http-probing',
        times(30, (i) => http(i * 100, 'a', `/img/${i}.png`, 404)),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-probing',
        times(30, (i) => http(i * 100, 'b', '/favicon-missing', 404)),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-probing',
        times(30, (i) => http(i * 100, 'c', `/page/${i}`, 200)),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-probing',
        times(30, (i) => http(i * 11 * S, 'd', `/gone/${i}`, 404)),
      ),
    ).toEqual([]);
  });
});

describe('leuko/http-admin-interface-probing', () => {
  it('fires on three missing consoles asked for in seconds', () => {
    const probe = ['/phpmyadmin2017/index.php?lang=en', '/administrator/db/index.php?lang=en', '/+CSCOE+/'].map(
      (u, i) => line('198.51.100.40', i, u, 404),
    );
    expect(fired('leuko/http-admin-interface-probing', parsed(probe))).toEqual(['198.51.100.40']);
  });

  it('ignores consoles that answer, one console asked for again, and other missing pages', () => {
    const served = ['/phpmyadmin/', '/manager/html', '/webmin/'].map((u, i) => line('198.51.100.41', i, u, 200));
    const again = [0, 1, 2, 3].map((s) => line('198.51.100.42', s, '/phpmyadmin/', 403));
    const other = ['/old-page', '/blog/2019/x', '/admin-guide.pdf'].map((u, i) => line('198.51.100.43', i, u, 404));
    expect(fired('leuko/http-admin-interface-probing', parsed([...served, ...again, ...other]))).toEqual([]);
  });
});

describe("IIS's W3C log through the web scenarios", () => {
  const iis = (s: number, ip: string, stem: string, status: number) =>
    `2024-06-01 10:00:${String(s).padStart(2, '0')} 192.0.2.10 GET ${stem} - 443 - ${ip} Mozilla/5.0+(compatible;+Scanner) - ${status} 0 2 15`;
  it('bans a burst of 404s for distinct paths from one client', () => {
    const lines = Array.from({ length: 12 }, (_, i) => iis(i, '203.0.113.90', `/probe${i}.aspx`, 404));
    expect(fired('leuko/http-probing', parsed(lines))).toEqual(['203.0.113.90']);
  });
  it('does not take IIS 400s for malformed requests: its log names no protocol version', () => {
    const lines = Array.from({ length: 6 }, (_, i) => iis(i, '198.51.100.91', `/api/item${i}`, 400));
    expect(fired('leuko/http-malformed', parsed(lines))).toEqual([]);
  });
});

describe("lighttpd's access log (%h %V %u %t) through the web scenarios", () => {
  const lt = (s: number, host: string, path: string) =>
    `203.0.113.95 ${host} - [01/Jun/2024:10:00:${String(s).padStart(2, '0')} +0000] "GET ${path} HTTP/1.1" 404 345 "-" "curl/8.5.0"`;
  it('bans the client, never the Host it sends, even an address', () => {
    const lines = Array.from({ length: 12 }, (_, i) => lt(i, i % 2 ? '192.0.2.66' : 'example.org', `/probe${i}.php`));
    expect(fired('leuko/http-probing', parsed(lines))).toEqual(['203.0.113.95']);
  });
});
