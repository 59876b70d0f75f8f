import { describe, expect, it } from 'vitest';
import { fired, http } from './test-kit.js';

describe('leuko/http-bad-user-agent', () => {
  it('fires on two requests from a named scanner', () => {
    const ua = 'Mozilla/5.00 (Nikto/2.1.5) (Evasions:None) (Test:getinfo)';
    expect(
      fired('leuko/http-bad-user-agent', [
        http(0, '127.0.0.1', '/', 200, { ua }),
        http(1, '127.0.0.1', '/', 200, { ua }),
      ]),
    ).toEqual(['127.0.0.1']);
  });
  it('knows attack tools whatever their case', () => {
    for (const ua of [
      'sqlmap/1.7.2#stable (https://sqlmap.org)',
      'Mozilla/5.0 zgrab/0.x',
      'Fuzz Faster U Fool v2.1.0',
      'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
    ]) {
      expect(
        fired('leuko/http-bad-user-agent', [http(0, 'a', '/', 404, { ua }), http(1, 'a', '/x', 404, { ua })]),
        ua,
      ).toEqual(['a']);
    }
  });
  it('knows e-mail harvesters', () => {
    for (const ua of [
      'Atomic_Email_Hunter/4.0',
      'EmailCollector',
      'Mozilla/4.0 (compatible; Advanced Email Extractor v2.xx)',
    ]) {
      expect(
        fired('leuko/http-bad-user-agent', [http(0, 'h', '/', 200, { ua }), http(1, 'h', '/contact/', 200, { ua })]),
        ua,
      ).toEqual(['h']);
    }
  });
  it('ignores browsers, and list words inside longer words', () => {
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
    expect(
      fired('leuko/http-bad-user-agent', [
        http(0, 'b', '/', 200, { ua: firefox }),
        http(1, 'b', '/', 200, { ua: firefox }),
      ]),
    ).toEqual([]);
    const ua = 'Boltzmann-client/1.0';
    expect(
      fired('leuko/http-bad-user-agent', [http(0, 'c', '/', 200, { ua }), http(1, 'c', '/', 200, { ua })]),
    ).toEqual([]);
  });
});
