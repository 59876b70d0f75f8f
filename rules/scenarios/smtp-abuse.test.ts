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

/** sendmail through syslog, `Nov  3 11:MM:SS`. */
const sendmailAt = (s: number) =>
  `Nov  3 11:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
const sendmail = {
  auth: (s: number, ip: string, user: string) =>
    `${sendmailAt(s)} mail sendmail[5976]: 09DJDgOM0059${String(s).padStart(2, '0')}: AUTH failure (LOGIN): authentication failure (-13) SASL(-13): authentication failure: checkpass failed, user=${user}, relay=[${ip}]`,
  relaying: (s: number, ip: string) =>
    `${sendmailAt(s)} mail sm-mta[22248]: s1NLaDQT0222${String(s).padStart(2, '0')}: ruleset=check_rcpt, arg1=<x${s}@hotmail.it>, relay=int0.example.net [${ip}] (may be forged), reject=550 5.7.1 <x${s}@hotmail.it>... Relaying denied. Proper authentication required.`,
  rate: (s: number, ip: string) =>
    `${sendmailAt(s)} mail sm-mta[24422]: ruleset=check_relay, arg1=[${ip}], arg2=${ip}, relay=[${ip}], reject=421 4.3.2 Connection rate limit exceeded.`,
};

describe('leuko/smtp-abuse', () => {
  it('fires on sendmail failed logins and relaying attempts in a burst', () => {
    const ev = parsed([
      ...times(3, (i) => sendmail.auth(i, '192.0.2.70', `user${i}`)),
      ...times(3, (i) => sendmail.relaying(3 + i, '192.0.2.70')),
    ]);
    expect(fired('leuko/smtp-abuse', ev)).toEqual(['192.0.2.70']);
  });
  it("fires on rblsmtpd's permanent blocklist refusals (qmail), not on its temporary ones", () => {
    const rbl = (s: number, ip: string, code: number) =>
      `${sendmailAt(s)} mx1 qmail: 1157520813.48507${s % 10} rblsmtpd: ${ip} pid 195${s} zen.spamhaus.org: ${code} https://www.spamhaus.org/query/ip/${ip}`;
    expect(fired('leuko/smtp-abuse', parsed(times(6, (i) => rbl(i, '198.51.100.77', 553))))).toEqual(['198.51.100.77']);
    expect(fired('leuko/smtp-abuse', parsed(times(20, (i) => rbl(i, '198.51.100.78', 451))))).toEqual([]);
  });
  it("fires on Kerio Connect's SMTP refusals and failed logins, and Domino's, in a burst", () => {
    const kerio = (s: number, rest: string) => `[11/May/2026 04:00:${String(s).padStart(2, '0')}] ${rest}`;
    const ev = parsed([
      ...times(3, (i) => kerio(i, `Failed SMTP login from 198.51.100.79 with SASL method PLAIN.`)),
      ...times(3, (i) =>
        kerio(
          3 + i,
          `Relay attempt from IP address 198.51.100.79, mail from <a@example.net> to <b${i}@example.com> rejected`,
        ),
      ),
    ]);
    expect(fired('leuko/smtp-abuse', ev)).toEqual(['198.51.100.79']);
    const domino = (s: number) =>
      `2026-05-11 04:00:${String(s).padStart(2, '0')}   smtp: user${s} [198.51.100.80] authentication failure using internet password`;
    expect(fired('leuko/smtp-abuse', parsed(times(6, domino)))).toEqual(['198.51.100.80']);
    expect(fired('leuko/smtp-abuse', parsed(times(3, domino)))).toEqual([]);
  });
  it("stays quiet for sendmail's temporary connection-rate refusals", () => {
    expect(fired('leuko/smtp-abuse', parsed(times(20, (i) => sendmail.rate(i, '209.85.220.43'))))).toEqual([]);
  });
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
