import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

const NAME = 'leuko/proxy-abuse';
const T0 = 1_733_560_000;
/** One line of Squid's access.log, `s` seconds in. */
const squid = (s: number, ip: string, result: string, method: string, url: string) =>
  `${T0 + s}.123      4 ${ip} ${result} 3722 ${method} ${url} - HIER_NONE/- text/html`;

describe('leuko/proxy-abuse', () => {
  it('fires on a client the proxy keeps refusing', () => {
    const lines = times(6, (i) =>
      squid(
        i * 10,
        '203.0.113.70',
        i % 2 ? 'NONE/405' : 'TCP_DENIED/403',
        i % 2 ? 'CONNECT' : 'GET',
        i % 2 ? 'mx.example.net:25' : 'http://judge.example/azenv.php',
      ),
    );
    expect(fired(NAME, parsed(lines))).toEqual(['203.0.113.70']);
  });

  it('leaves users alone: answered requests, the authentication challenge, a refusal or two', () => {
    const lines = [
      ...times(20, (i) => squid(i, '192.0.2.71', 'TCP_MISS/200', 'GET', `http://www.example.org/${i}`)),
      ...times(5, (i) => squid(30 + i, '192.0.2.71', 'TCP_DENIED/407', 'GET', 'http://www.example.org/')),
      squid(60, '192.0.2.71', 'TCP_DENIED/403', 'GET', 'http://blocked.example/'),
      squid(70, '192.0.2.71', 'TCP_DENIED/403', 'GET', 'http://blocked.example/again'),
    ];
    expect(fired(NAME, parsed(lines))).toEqual([]);
  });

  it('counts the client Squid names, not an address in the URL', () => {
    const lines = times(6, (i) =>
      squid(i, '203.0.113.72', 'TCP_DENIED/403', 'GET', `http://198.51.100.9/${i}?client=198.51.100.9`),
    );
    expect(fired(NAME, parsed(lines))).toEqual(['203.0.113.72']);
  });
});
