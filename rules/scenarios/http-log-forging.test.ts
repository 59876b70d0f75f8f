import { describe, expect, it } from 'vitest';
import { fired, http } from './test-kit.js';

const NAME = 'leuko/http-log-forging';

describe('leuko/http-log-forging', () => {
  it('fires on a line break encoded in the path, in either case, for the sender', () => {
    expect(
      fired(NAME, [
        http(
          0,
          '192.0.2.20',
          '/x%0A2026/12/08%2000:07:21%20[error]%201%231:%20*1%20user%20%22admin%22:%20password%20mismatch,%20client:%20203.0.113.9',
          404,
        ),
      ]),
    ).toEqual(['192.0.2.20']);
    expect(fired(NAME, [http(0, '192.0.2.21', '/index.php%0d%0aSet-Cookie:%20a=b', 404)])).toEqual(['192.0.2.21']);
  });

  it('ignores line breaks in the query string (form text) and double-encoded ones', () => {
    expect(
      fired(NAME, [
        http(0, '192.0.2.22', '/search?q=first%0Asecond', 200),
        http(1, '192.0.2.22', '/notes?text=a%0D%0Ab', 200),
        http(2, '192.0.2.22', '/files/%250A.txt', 404),
      ]),
    ).toEqual([]);
  });
});
