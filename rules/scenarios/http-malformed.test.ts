import { describe, expect, it } from 'vitest';
import { fired, http, malformed } from './test-kit.js';

describe('leuko/http-malformed', () => {
  it('fires on three binary or garbage request lines', () => {
    const ev = [
      malformed(0, '1.2.3.4', '\\x16\\x03\\x01\\x00'),
      malformed(1, '1.2.3.4', 'HELP'),
      malformed(2, '1.2.3.4', 'Gh0st\\xAD\\x00'),
    ];
    expect(fired('leuko/http-malformed', ev)).toEqual(['1.2.3.4']);
  });
  it('ignores well-formed requests that got a 400', () => {
    expect(
      fired(
        'leuko/http-malformed',
        [0, 1, 2, 3].map((t) => http(t, 'a', '/api?x=1', 400)),
      ),
    ).toEqual([]);
  });
});
