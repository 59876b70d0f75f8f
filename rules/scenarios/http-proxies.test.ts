import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

/**
 * Traefik and Caddy write JSON access logs, HAProxy its HTTP log through syslog, AWS's ALB and Zoraxy their own access
 * logs; the parsers read them as access events (`traefik.access`, `caddy.access`, `haproxy.access`, `aws.elb`,
 * `zoraxy.access`), and the web scenarios run on them as on nginx lines.
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

/** HAProxy's HTTP log through syslog (`option httplog`). */
const haproxy = (s: number, ip: string, path: string, status: number, server = 'web1') =>
  `Jun 14 20:00:${String(s).padStart(2, '0')} lb1 haproxy[760]: ${ip}:40000 [14/Jun/2024:20:00:${String(s).padStart(2, '0')}.001] www~ web/${server} 0/0/1/3/4 ${status} 310 - - ---- 1/1/0/0/0 0/0 "GET ${path} HTTP/1.1"`;

describe('web scenarios on HAProxy HTTP logs', () => {
  it('leuko/http-sensitive-files and leuko/http-probing fire on clients behind the balancer', () => {
    const secrets = parsed(['/.env', '/.git/config', '/backup.sql'].map((p, i) => haproxy(i, '198.51.100.30', p, 404)));
    expect(fired('leuko/http-sensitive-files', secrets)).toEqual(['198.51.100.30']);
    const probing = parsed(times(12, (i) => haproxy(i, '198.51.100.31', `/admin-${i}.php`, 404)));
    expect(fired('leuko/http-probing', probing)).toEqual(['198.51.100.31']);
  });
  it('reads a 401 HAProxy answered itself as a failed login, and stays quiet for browsing', () => {
    const [auth] = parsed([haproxy(0, '2001:db8::1234', '/', 401, '<NOSRV>')]);
    expect(auth?.event).toMatchObject({ 'event.action': 'http_auth_failure', 'source.ip': '2001:db8::1234' });
    const ev = parsed(times(30, (i) => haproxy(i, '198.51.100.32', `/products/${i}`, 200)));
    expect(fired('leuko/http-probing', ev)).toEqual([]);
  });
});

/** AWS ALB's access log: the request in absolute form, read as the origin server's. */
const alb = (s: number, ip: string, path: string, status: number, ua = 'Mozilla/5.0 (X11; Linux x86_64)') =>
  `https 2024-06-14T20:00:${String(s).padStart(2, '0')}.186641Z app/web/490d68edf04676fe ${ip}:44750 10.0.0.66:9000 0.000 0.002 0.000 ${status} ${status} 5 257 "GET https://shop.example.org:443${path} HTTP/1.1" "${ua}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2d6bc24d8a067 "Root=1-58337327-72bd00b0343d75b906739c42" "shop.example.org" "-" 1 2024-06-14T20:00:00.000000Z "forward" "-" "-" "10.0.0.66:9000" "${status}" "-" "-"`;
/** Zoraxy's request log. */
const zoraxy = (s: number, ip: string, path: string, status: number, ua = 'Mozilla/5.0 (X11; Linux x86_64)') =>
  `2024/06/14 20:00:${String(s).padStart(2, '0')} [2024-06-14 20:00:${String(s).padStart(2, '0')}.417736] [router:http-proxy] [origin:shop.example.org] [client: ${ip}] [useragent: ${ua}] GET ${path} ${status}`;

describe('web scenarios on AWS ALB and Zoraxy access logs', () => {
  it('leuko/http-sensitive-files and leuko/http-probing fire on the clients', () => {
    for (const [line, ip] of [
      [alb, '198.51.100.40'],
      [zoraxy, '198.51.100.41'],
    ] as const) {
      const secrets = parsed(['/.env', '/.git/config', '/backup.sql'].map((p, i) => line(i, ip, p, 404)));
      expect(fired('leuko/http-sensitive-files', secrets)).toEqual([ip]);
      const probing = parsed(times(12, (i) => line(i, ip, `/admin-${i}.php`, 404)));
      expect(fired('leuko/http-probing', probing)).toEqual([ip]);
      const browsing = parsed(times(30, (i) => line(i, ip, `/products/${i}`, 200)));
      expect(fired('leuko/http-probing', browsing)).toEqual([]);
      // The balancer's absolute-form request is not a proxy request.
      expect(fired('leuko/http-open-proxy', browsing)).toEqual([]);
    }
  });
  it('leuko/http-bad-user-agent reads the user agent from either', () => {
    const ev = parsed([
      alb(0, '198.51.100.42', '/', 200, 'sqlmap/1.7'),
      alb(1, '198.51.100.42', '/', 200, 'sqlmap/1.7'),
      zoraxy(2, '198.51.100.43', '/', 200, 'Nikto'),
      zoraxy(3, '198.51.100.43', '/', 200, 'Nikto'),
    ]);
    expect(fired('leuko/http-bad-user-agent', ev).sort()).toEqual(['198.51.100.42', '198.51.100.43']);
  });
});
