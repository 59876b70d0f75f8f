import { describe, expect, it } from 'vitest';
import { fired, http, parsed } from './test-kit.js';

describe('leuko/http-sensitive-files', () => {
  it('fires on three distinct sensitive files, encoded or not', () => {
    const ev = [
      http(0, '203.0.113.4', '/.env', 404),
      http(10, '203.0.113.4', '/%2Egit/config', 404),
      http(20, '203.0.113.4', '/wp-config.php~', 404),
    ];
    expect(fired('leuko/http-sensitive-files', ev)).toEqual(['203.0.113.4']);
  });
  it('matches backups of the site and VCS folders', () => {
    const ev = [http(0, 'x', '/backup.zip', 404), http(1, 'x', '/.svn/wc.db', 404), http(2, 'x', '/db.SQL', 404)];
    expect(fired('leuko/http-sensitive-files', ev)).toEqual(['x']);
  });
  it('ignores ordinary pages and the same file asked again', () => {
    expect(
      fired('leuko/http-sensitive-files', [
        http(0, 'y', '/environment', 200),
        http(1, 'y', '/git-guide', 200),
        http(2, 'y', '/about', 200),
      ]),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-sensitive-files',
        [0, 1, 2, 3].map((t) => http(t, 'z', '/.env', 404)),
      ),
    ).toEqual([]);
  });
});

describe("nginx's JSON access log through the web scenarios", () => {
  it('bans the remote_addr probing sensitive files, not the forwarded address the client wrote', () => {
    const lines = ['/.env', '/.git/config', '/.aws/credentials', '/.htpasswd'].map((p, i) =>
      JSON.stringify({
        time_iso8601: `2024-06-14T18:00:0${i}+00:00`,
        remote_addr: '203.0.113.96',
        request: `GET ${p} HTTP/1.1`,
        status: '404',
        http_user_agent: 'curl/8.5.0',
        http_x_forwarded_for: '192.0.2.99',
      }),
    );
    expect(fired('leuko/http-sensitive-files', parsed(lines))).toEqual(['203.0.113.96']);
  });
});
