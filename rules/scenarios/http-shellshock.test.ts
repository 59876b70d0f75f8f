import { describe, expect, it } from 'vitest';
import { fired, http, parsed, run } from './test-kit.js';

const NAME = 'leuko/http-shellshock';

describe('leuko/http-shellshock', () => {
  it('fires on a bash function definition in the user agent, referrer or URL', () => {
    expect(
      fired(NAME, [http(0, '203.0.113.5', '/cgi-bin/status', 200, { ua: '() { :; }; /bin/bash -c "id"' })]),
    ).toEqual(['203.0.113.5']);
    expect(fired(NAME, [http(0, 'a', '/', 200, { ref: '() { _; } >_[$($())] { echo; id; }' })])).toEqual(['a']);
    expect(fired(NAME, [http(0, 'b', '/cgi-bin/test.cgi?%28%29%20%7B%20%3A%3B%20%7D%3B%20id', 404)])).toEqual(['b']);
  });
  it("fires on bash's own complaint in Apache's error log, for the client Apache names", () => {
    const d = run(NAME, [
      ...parsed([
        '[Thu Sep 25 09:27:18.813902 2014] [cgi:error] [pid 16860] [client 203.0.113.31:59635] AH01215: /bin/bash: warning: HTTP_X_PAYLOAD: ignoring function definition attempt',
        "[Thu Sep 25 09:29:56.141832 2014] [cgi:error] [pid 16864] [client 203.0.113.32:41273] AH01215: /bin/bash: error importing function definition for `HTTP_TEST'",
      ]),
    ]);
    expect(d.map((x) => x.entity.value)).toEqual(['203.0.113.31', '203.0.113.32']);
    expect(d[0]!.explanation).toContain('HTTP_X_PAYLOAD');
  });
  it('ignores ordinary requests and text that only resembles the payload', () => {
    expect(
      fired(NAME, [
        http(0, 'c', '/search?q=function()%7Breturn%7D', 200),
        http(1, 'c', '/', 200, { ua: 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1)' }),
        http(2, 'c', '/js/app.js', 200, { ref: 'https://example.org/?cb=(){}' }),
      ]),
    ).toEqual([]);
  });
});
