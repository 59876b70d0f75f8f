import { describe, expect, it } from 'vitest';
import { isLoginAttempt, loginFailed } from './web-login.js';

describe('failed logins in access logs', () => {
  it.each([
    ['/wp-login.php', 200, true],
    ['/wp-login.php', 302, false],
    ['/my-account/', 200, true],
    ['/account/login', 303, false],
    ['/wp-json/jwt-auth/v1/token', 200, false],
    ['/wp-json/jwt-auth/v1/token', 403, true],
    ['/api/login', 401, true],
    ['/api/login', 200, false],
    ['/login', 429, true],
    ['/login', 404, false],
  ])('POST %s %i: failed %s', (path, status, failed) => {
    expect(isLoginAttempt('POST', path)).toBe(true);
    expect(loginFailed(path, status)).toBe(failed);
  });

  it('only POSTs to login endpoints are attempts', () => {
    expect(isLoginAttempt('GET', '/wp-login.php')).toBe(false);
    expect(isLoginAttempt('POST', '/?wc-ajax=add_to_cart')).toBe(false);
    expect(isLoginAttempt('POST', '/wp-admin/admin-ajax.php')).toBe(false);
    expect(isLoginAttempt('POST', '/blog/authors-login-tips/')).toBe(false);
  });
});
