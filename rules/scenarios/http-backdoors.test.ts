import { describe, expect, it } from 'vitest';
import { fired, http } from './test-kit.js';

describe('leuko/http-backdoors', () => {
  it('fires on two distinct webshell names', () => {
    expect(
      fired('leuko/http-backdoors', [
        http(0, '127.0.0.1', '/Worse_Linux_Shell.php', 404),
        http(1, '127.0.0.1', '/uploads/c99.php?act=ls', 404),
      ]),
    ).toEqual(['127.0.0.1']);
  });
  it('does not mistake names that merely end the same way', () => {
    expect(
      fired('leuko/http-backdoors', [
        http(0, 'a', '/catalog.php', 200),
        http(1, 'a', '/blog/changelog.php', 200),
        http(2, 'a', '/myshell.php', 404),
      ]),
    ).toEqual([]);
  });
});
