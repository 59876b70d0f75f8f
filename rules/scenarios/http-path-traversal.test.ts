import { describe, expect, it } from 'vitest';
import { fired, http, times } from './test-kit.js';

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
