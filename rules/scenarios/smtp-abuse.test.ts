import { describe, expect, it } from 'vitest';
import { postfixLine } from './postfix-lines.js';
import { fired, parsed, times } from './test-kit.js';

/** Real Postfix lines, parsed (`parsed`): the scenario reads the parser's field names. */
const line = postfixLine;

/** Exim's mainlog, `2026-05-11 04:MM:SS`. */
function eximAt(s: number): string {
  return `2026-05-11 04:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
const exim = {
  auth: (s: number, ip: string, user: string) =>
    `${eximAt(s)} dovecot_login authenticator failed for ([1.2.3.5]) [${ip}]:55379: 535 Incorrect authentication data (set_id=${user})`,
  unknown: (s: number, ip: string) =>
    `${eximAt(s)} H=imfo.test.com [${ip}]:35328 X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=no F=<info6@test.com> rejected RCPT <sales@toto.com.au>: No Such User Here`,
  ratelimited: (s: number, ip: string) =>
    `${eximAt(s)} H=test.sa.com [${ip}]:18146 temporarily rejected connection in "connect" ACL: "Host is ratelimited (1.9/1h max:1.2)"`,
  sync: (s: number, ip: string) =>
    `${eximAt(s)} [13314] SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[${ip}]:25936 I=[192.0.2.1]:25 input="GET / HTTP/1.1\r\n\r\n"`,
};

describe('leuko/smtp-abuse', () => {
  it('fires on Exim failed logins and a permanent reject in a burst (crowdsecurity/exim-bf)', () => {
    const ev = parsed([
      ...times(5, (i) => exim.auth(i * 2, '1.2.3.4', `info${i}@test.com`)),
      exim.unknown(9, '1.2.3.4'),
    ]);
    expect(fired('leuko/smtp-abuse', ev)).toEqual(['1.2.3.4']);
  });
  it('fires on a client talking over Exim before its greeting', () => {
    expect(fired('leuko/smtp-abuse', parsed(times(6, (i) => exim.sync(i, '192.0.2.10'))))).toEqual(['192.0.2.10']);
  });
  it('stays quiet for an Exim rate limit answered with 4xx, however often the sender retries', () => {
    expect(fired('leuko/smtp-abuse', parsed(times(20, (i) => exim.ratelimited(i, '209.85.220.42'))))).toEqual([]);
  });
  it('fires on failed logins followed by permanent rejects', () => {
    const ev = parsed([
      ...times(4, (i) => line.sasl(i, '1.2.3.4')),
      line.relay(4, '1.2.3.4'),
      line.relay(5, '1.2.3.4'),
    ]);
    expect(fired('leuko/smtp-abuse', ev)).toEqual(['1.2.3.4']);
  });
  it('fires on a scanner speaking HTTP and pipelining to the SMTP port', () => {
    const ev = parsed(times(6, (i) => (i % 2 === 0 ? line.nonSmtp(i, '192.0.2.9') : line.pipelining(i, '192.0.2.9'))));
    expect(fired('leuko/smtp-abuse', ev)).toEqual(['192.0.2.9']);
  });
  it('stays quiet for a large sender greylisted on many messages at once', () => {
    const ev = parsed(times(20, (i) => line.greylisted(i, '209.85.220.41')));
    expect(fired('leuko/smtp-abuse', ev)).toEqual([]);
  });
  it('stays quiet for a few rejects spread out', () => {
    const ev = parsed(times(10, (i) => line.relay(i * 30, '198.51.100.7')));
    expect(fired('leuko/smtp-abuse', ev)).toEqual([]);
  });
});
