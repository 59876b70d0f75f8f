// biome-ignore-all lint/suspicious/noTemplateCurlyInString: attack payloads are literal `${` text
import { describe, expect, it } from 'vitest';
import { fired, http } from './test-kit.js';

describe('leuko/http-text4shell', () => {
  it('fires on a script, dns or url lookup in the URL (encoded or not), user agent or referrer', () => {
    expect(
      fired('leuko/http-text4shell', [
        http(
          0,
          '1.2.3.6',
          '/?search=%24%7Bscript%3Ajavascript%3Ajava.lang.Runtime.getRuntime%28%29.exec%28%27id%27%29%7D',
          404,
        ),
      ]),
    ).toEqual(['1.2.3.6']);
    expect(fired('leuko/http-text4shell', [http(0, 'a', '/?q=${DNS:address|x.example}', 200)])).toEqual(['a']);
    expect(fired('leuko/http-text4shell', [http(0, 'b', '/', 200, { ua: '${url:UTF-8:http://x.example/}' })])).toEqual([
      'b',
    ]);
    expect(fired('leuko/http-text4shell', [http(0, 'c', '/', 200, { ref: '${script:js:1}' })])).toEqual(['c']);
  });
  it('ignores templates and lookups that run nothing', () => {
    expect(
      fired('leuko/http-text4shell', [
        http(0, 'd', '/?tpl=${name}', 200),
        http(1, 'd', '/?v=${date:yyyy}', 200),
        http(2, 'd', '/docs/script/url/dns', 200),
      ]),
    ).toEqual([]);
  });
});
