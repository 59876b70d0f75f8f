import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

/**
 * Traefik and Caddy write JSON access logs; the JSON parser reads them as access events
 * (`traefik.access`, `caddy.access`), and the web scenarios run on them as on nginx lines.
 */
const traefik = (s: number, ip: string, path: string, status: number, ua = 'Mozilla/5.0 (X11; Linux x86_64)') =>
  JSON.stringify({
    ClientAddr: `${ip}:39496`,
    ClientHost: ip,
    ClientUsername: '-',
    DownstreamStatus: status,
    RequestHost: 'shop.example.org',
    RequestMethod: 'GET',
    RequestPath: path,
    RequestProtocol: 'HTTP/1.1',
    StartUTC: new Date(Date.UTC(2024, 5, 14, 20, 0, s)).toISOString(),
    'request_User-Agent': ua,
    // Whatever the client claims to be forwarding for is not the client.
    'request_X-Forwarded-For': '192.0.2.250',
  });

const caddy = (s: number, ip: string, uri: string, status: number, ua = 'Mozilla/5.0 (X11; Linux x86_64)') =>
  JSON.stringify({
    level: 'info',
    ts: Date.UTC(2024, 5, 14, 20, 0, s) / 1000,
    logger: 'http.log.access.log0',
    msg: 'handled request',
    request: {
      remote_ip: ip,
      proto: 'HTTP/2.0',
      method: 'GET',
      host: 'blog.example.org',
      uri,
      headers: { 'User-Agent': [ua] },
    },
    status,
  });

describe('web scenarios on Traefik and Caddy JSON access logs', () => {
  it('leuko/http-sensitive-files fires on a Traefik client hunting for secrets', () => {
    const ev = parsed(['/.env', '/.git/config', '/backup.sql'].map((p, i) => traefik(i, '198.51.100.20', p, 404)));
    expect(fired('leuko/http-sensitive-files', ev)).toEqual(['198.51.100.20']);
  });
  it('leuko/http-probing fires on a Caddy client collecting 404s', () => {
    const ev = parsed(times(12, (i) => caddy(i, '198.51.100.21', `/admin-${i}.php`, 404)));
    expect(fired('leuko/http-probing', ev)).toEqual(['198.51.100.21']);
  });
  it('leuko/http-bad-user-agent reads the user agent from either (two requests each)', () => {
    const ev = parsed([
      traefik(0, '198.51.100.22', '/', 200, 'sqlmap/1.7'),
      traefik(1, '198.51.100.22', '/', 200, 'sqlmap/1.7'),
      caddy(2, '198.51.100.23', '/', 200, 'Nikto'),
      caddy(3, '198.51.100.23', '/', 200, 'Nikto'),
    ]);
    expect(fired('leuko/http-bad-user-agent', ev).sort()).toEqual(['198.51.100.22', '198.51.100.23']);
  });
  it('stays quiet for ordinary browsing', () => {
    const ev = parsed(times(30, (i) => traefik(i, '198.51.100.24', `/products/${i}`, 200)));
    expect(fired('leuko/http-probing', ev)).toEqual([]);
    expect(fired('leuko/http-sensitive-files', ev)).toEqual([]);
  });
});
