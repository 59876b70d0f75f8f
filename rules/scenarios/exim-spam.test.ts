import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

/** Real Exim mainlog lines (CrowdSec's exim-spam sample), at `2026-06-29 15:MM:SS`. */
function at(s: number): string {
  return `2026-06-29 15:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
const line = {
  rbl: (s: number, ip: string) =>
    `${at(s)} H=test.com [${ip}]:53343 F=<info@test.com> rejected RCPT <toto@toto.com>: "JunkMail rejected - test.com [${ip}]:53343 is in an RBL: https://www.spamhaus.org/sbl/query/SBLCSS"`,
  senderVerify: (s: number, ip: string) =>
    `${at(s)} H=tata.test.biz [${ip}]:41584 sender verify fail for <toto@test.biz>: The mail server does not recognize toto@test.biz as a valid sender.`,
  authRequired: (s: number, ip: string) =>
    `${at(s)} H=(smtpclient.test) [${ip}]:17125 X=TLS1.3:TLS_AES_128_GCM_SHA256:128 CV=no F=<info@toto.com.au> rejected RCPT <tutu@titi.com.au>: SMTP AUTH is required for message submission on port 587`,
  ratelimited: (s: number, ip: string) =>
    `${at(s)} H=test.sa.com [${ip}]:18146 temporarily rejected connection in "connect" ACL: "Host is ratelimited (1.9/1h max:1.2)"`,
  greylisted: (s: number, ip: string) =>
    `${at(s)} H=mail-wr1.example.com [${ip}]:40000 F=<news@example.com> temporarily rejected RCPT <bob@example.org>: greylisted`,
  unknown: (s: number, ip: string, i: number) =>
    `${at(s)} H=mail-wr1.example.com [${ip}]:40000 F=<u${i}@example.com> rejected RCPT <bbo${i}@example.org>: Unrouteable address`,
};

describe('leuko/exim-spam', () => {
  it('fires on three permanent refusals spread over minutes', () => {
    const ev = parsed([
      line.rbl(0, '1.2.3.4'),
      line.ratelimited(120, '1.2.3.4'),
      line.senderVerify(180, '1.2.3.4'),
      line.senderVerify(240, '1.2.3.4'),
    ]);
    expect(fired('leuko/exim-spam', ev)).toEqual(['1.2.3.4']);
  });
  it('stays quiet for a sender retrying after temporary rejects all hour', () => {
    const ev = parsed(
      times(60, (i) => (i % 2 ? line.ratelimited(i * 60, '209.85.220.41') : line.greylisted(i * 60, '209.85.220.41'))),
    );
    expect(fired('leuko/exim-spam', ev)).toEqual([]);
  });
  it('stays quiet for a shared sender carrying its users typos', () => {
    const ev = parsed(times(10, (i) => line.unknown(i * 20, '209.85.220.43', i)));
    expect(fired('leuko/exim-spam', ev)).toEqual([]);
  });
  it('stays quiet for two refusals, and for refusals ten minutes apart', () => {
    expect(
      fired('leuko/exim-spam', parsed([line.rbl(0, '198.51.100.8'), line.authRequired(60, '198.51.100.8')])),
    ).toEqual([]);
    expect(fired('leuko/exim-spam', parsed(times(6, (i) => line.authRequired(i * 600, '198.51.100.9'))))).toEqual([]);
  });
});
