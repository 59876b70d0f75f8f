import { describe, expect, it } from 'vitest';
import { fired, http, S, times } from './test-kit.js';

describe('leuko/http-wordpress-bf', () => {
  it('fires on six failed logins (200 answers to POST wp-login.php)', () => {
    expect(
      fired(
        'leuko/http-wordpress-bf',
        times(6, (i) => http(i * S, '198.51.100.3', '/wp-login.php', 200, { method: 'POST' })),
      ),
    ).toEqual(['198.51.100.3']);
  });
  it('ignores successful logins (302) and page views', () => {
    expect(
      fired(
        'leuko/http-wordpress-bf',
        times(10, (i) => http(i * S, 'a', '/wp-login.php', 302, { method: 'POST' })),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-wordpress-bf',
        times(10, (i) => http(i * S, 'b', '/wp-login.php', 200)),
      ),
    ).toEqual([]);
  });
});

describe('leuko/http-wordpress-xmlrpc-bf', () => {
  it('fires on a POST /xmlrpc.php flood', () => {
    expect(
      fired(
        'leuko/http-wordpress-xmlrpc-bf',
        times(6, (i) =>
          http(i * S, '198.51.100.4', '/blog/xmlrpc.php', 200, { method: 'POST', dataset: 'apache.access' }),
        ),
      ),
    ).toEqual(['198.51.100.4']);
  });
  it('ignores an occasional pingback', () => {
    expect(
      fired(
        'leuko/http-wordpress-xmlrpc-bf',
        times(6, (i) => http(i * 30 * S, 'c', '/xmlrpc.php', 200, { method: 'POST' })),
      ),
    ).toEqual([]);
  });
});
