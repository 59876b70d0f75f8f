import { describe, expect, it } from 'vitest';
import { accessLine as line, fired, parsed } from './test-kit.js';

describe('leuko/http-wordpress-user-enum', () => {
  it('fires on a walk over author ids and on REST user listings', () => {
    const walk = [2, 23, 24, 14, 3, 12].map((n, i) => line('198.51.100.20', i, `/?author=${n}`, n < 10 ? 200 : 404));
    expect(fired('leuko/http-wordpress-user-enum', parsed(walk))).toEqual(['198.51.100.20']);
    const rest = [
      '/wp-json/wp/v2/users',
      '/wp-json/wp/v2/users/1',
      '/wp-json/wp/v2/users/2',
      '/?rest_route=/wp/v2/users',
      '/?rest_route=%2Fwp%2Fv2%2Fusers%2F1',
    ].map((u, i) => line('198.51.100.21', i, u, 200));
    expect(fired('leuko/http-wordpress-user-enum', parsed(rest))).toEqual(['198.51.100.21']);
  });

  it('ignores a reader following the same author link, and other query strings', () => {
    const same = [0, 1, 2, 3, 4, 5].map((s) => line('198.51.100.22', s, '/?author=1', 200));
    const other = [1, 2, 3, 4, 5, 6].map((n) => line('198.51.100.23', n, `/?page=${n}&authors=${n}`, 200));
    expect(fired('leuko/http-wordpress-user-enum', parsed([...same, ...other]))).toEqual([]);
  });
});

describe('leuko/http-wordpress-scan', () => {
  it("fires on 404s for plugins' PHP files and readmes", () => {
    const scan = [
      '/smth/wp-admin/admin-ajax.php',
      '/wp-content/plugins/adminimize/adminimize_page.php',
      '/activate/wp-content/plugins/advanced-dewplayer/admin-panel/download-file.php',
      '/wp-content/plugins/sniplets/modules/syntax_highlight.php',
      '/wp-content/plugins/blocksy-companion/README.txt',
    ].map((u, i) => line('198.51.100.24', i, u, 404));
    expect(fired('leuko/http-wordpress-scan', parsed(scan))).toEqual(['198.51.100.24']);
  });

  it('ignores missing theme assets and plugin files that exist', () => {
    const assets = [
      '/wp-content/themes/t/style.css',
      '/wp-content/plugins/a/a.js',
      '/wp-content/plugins/b/logo.png',
      '/wp-content/plugins/c/font.woff2',
      '/wp-content/plugins/d/d.css',
      '/wp-content/plugins/e/e.js',
    ].map((u, i) => line('198.51.100.25', i, u, 404));
    const found = [1, 2, 3, 4, 5, 6].map((n) => line('198.51.100.26', n, `/wp-content/plugins/p${n}/x.php`, 200));
    expect(fired('leuko/http-wordpress-scan', parsed([...assets, ...found]))).toEqual([]);
  });
});
