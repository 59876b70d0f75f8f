import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

const at = (s: number) => `Aug 27 16:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
const axfr = (s: number, ip: string, zone = 'example.org') =>
  `${at(s)} ns1 named[29206]: client @0x7f6450002ef0 ${ip}#42592 (${zone}): zone transfer '${zone}/AXFR/IN' denied`;
const badAxfr = (s: number, ip: string) =>
  `${at(s)} ns1 named[29206]: client ${ip}#42593 (example.net): bad zone transfer request: 'example.net/IN': non-authoritative zone (NOTAUTH)`;
const query = (s: number, ip: string) =>
  `${at(s)} ns1 named[29206]: client ${ip}#4795: query (cache) 'example.com/ANY/IN' denied`;

describe('leuko/dns-zone-transfer', () => {
  it('fires on the third refused transfer within minutes, in syslog or BIND\u2019s own file', () => {
    expect(
      fired(
        'leuko/dns-zone-transfer',
        parsed([axfr(0, '176.9.92.38'), badAxfr(20, '176.9.92.38'), axfr(40, '176.9.92.38', 'example.com')]),
      ),
    ).toEqual(['176.9.92.38']);
    const own = parsed(
      times(
        3,
        (i) =>
          `27-Aug-2013 17:49:4${i}.330 client 59.167.242.100#44281 (watt.kiev.ua): zone transfer 'watt.kiev.ua/AXFR/IN' denied`,
      ),
    );
    expect(fired('leuko/dns-zone-transfer', own)).toEqual(['59.167.242.100']);
  });
  it("fires on NSD's refused transfers, in its own log or syslog", () => {
    const own = parsed(
      times(
        3,
        (i) =>
          `[2021-03-05 05:25:1${i}.562] nsd[160800]: info: axfr for example.com. from 192.0.2.32 refused, no acl matches`,
      ),
    );
    expect(fired('leuko/dns-zone-transfer', own)).toEqual(['192.0.2.32']);
    const sys = parsed(
      times(
        3,
        (i) =>
          `${at(i * 10)} ns2 nsd[23600]: info: axfr for zone domain.nl. from client 192.0.2.115 refused, no acl matches.`,
      ),
    );
    expect(fired('leuko/dns-zone-transfer', sys)).toEqual(['192.0.2.115']);
  });
  it("leaves NSD's rate-limit blocks alone (UDP, the victim's address in a reflection attack)", () => {
    const ev = parsed(
      times(
        20,
        (i) =>
          `[13872886${10 + i}] nsd[7745]: info: ratelimit block example.com. type any target 192.0.2.0/24 query 192.0.2.105 TYPE255`,
      ),
    );
    expect(fired('leuko/dns-zone-transfer', ev)).toEqual([]);
  });
  it('leaves refused plain queries alone (spoofable), and a transfer or two', () => {
    const ev = parsed([
      ...times(20, (i) => query(i, '194.145.196.18')),
      axfr(0, '198.51.100.9'),
      axfr(30, '198.51.100.9'),
    ]);
    expect(fired('leuko/dns-zone-transfer', ev)).toEqual([]);
  });
});
