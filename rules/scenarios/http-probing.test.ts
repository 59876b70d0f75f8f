import { describe, expect, it } from 'vitest';
import { fired, http, malformed, S, times } from './test-kit.js';

describe('leuko/http-probing', () => {
  it('fires on eleven distinct 404s in a few seconds', () => {
    expect(
      fired(
        'leuko/http-probing',
        times(11, (i) => http(i * 100, '172.17.0.1', `/admin${i}.php`, 404)),
      ),
    ).toEqual(['172.17.0.1']);
  });
  it('counts binary request lines answered 400', () => {
    expect(
      fired(
        'leuko/http-probing',
        times(11, (i) => malformed(i * 100, '1.2.3.4', `\\x16\\x03\\x01\\x0${i}`)),
      ),
    ).toEqual(['1.2.3.4']);
  });
  it('ignores static files, repeats of one path, and successes', () => {
    expect(
      fired(
        'leuko/http-probing',
        times(30, (i) => http(i * 100, 'a', `/img/${i}.png`, 404)),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-probing',
        times(30, (i) => http(i * 100, 'b', '/favicon-missing', 404)),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-probing',
        times(30, (i) => http(i * 100, 'c', `/page/${i}`, 200)),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-probing',
        times(30, (i) => http(i * 11 * S, 'd', `/gone/${i}`, 404)),
      ),
    ).toEqual([]);
  });
});
