import { describe, expect, it } from 'vitest';
import { fired, http, times } from './test-kit.js';

const payloads = [
  '/item?id=1%20UNION%20SELECT%20null,null',
  '/item?id=1/**/union/**/select/**/1',
  '/item?id=1+AND+SLEEP(5)',
  "/item?id=1'%20or%20'1'='1",
  '/item?id=1%2520union%2520all%2520select%25201',
  '/item?id=extractvalue(1,concat(0x7e,version()))',
  '/item?id=@@version',
  '/item?id=1;waitfor%20delay%20%270:0:5%27',
  '/item?id=benchmark(10000000,md5(1))',
  '/item?id=1 and 1=1 union select load_file(0x2f)',
  '/item?id=pg_sleep(5)',
];

describe('leuko/http-sqli', () => {
  it('fires on eleven distinct injection payloads, whatever the encoding', () => {
    expect(
      fired(
        'leuko/http-sqli',
        payloads.map((u, i) => http(i * 50, '203.0.113.20', u, 200)),
      ),
    ).toEqual(['203.0.113.20']);
  });
  it('ignores ordinary queries and a single odd URL', () => {
    expect(
      fired(
        'leuko/http-sqli',
        times(20, (i) => http(i * 50, 'a', `/search?q=select+a+union+rep+${i}`, 200)),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/http-sqli',
        times(20, (i) => http(i * 50, 'b', payloads[0]!, 200)),
      ),
    ).toEqual([]);
  });
});
