import { describe, expect, it } from 'vitest';
import { fired, http, S, times } from './test-kit.js';

describe('leuko/http-apiscp-bf', () => {
  it('fires on six refused logins (200 answers to POST /apps/login)', () => {
    const ev = times(6, (i) => http(i * S, '198.51.100.5', '/apps/login', 200, { method: 'POST' }));
    expect(fired('leuko/http-apiscp-bf', ev)).toEqual(['198.51.100.5']);
  });
  it('ignores successful logins (303), the login page and other forms', () => {
    expect(
      fired(
        'leuko/http-apiscp-bf',
        times(10, (i) => http(i * S, 'a', '/apps/login', 303, { method: 'POST' })),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-apiscp-bf',
        times(10, (i) => http(i * S, 'b', '/apps/login', 200)),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-apiscp-bf',
        times(10, (i) => http(i * S, 'c', '/apps/loginx', 200, { method: 'POST' })),
      ),
    ).toEqual([]);
  });
});
