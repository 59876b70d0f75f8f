import { describe, expect, it } from 'vitest';
import { fired, parsed, run } from './test-kit.js';

describe('leuko/port-scan-reported', () => {
  it("fires on scanlogd's report of a TCP scan, naming the ports", () => {
    const ev = parsed([
      'Mar  5 21:44:43 srv scanlogd: 192.0.2.123 to 192.0.2.1 ports 80, 81, 83, 88, 99, 443, 1080, 3128, ..., f????uxy, TOS 00, TTL 49 @20:44:43',
    ]);
    const d = run('leuko/port-scan-reported', ev);
    expect(d.map((x) => x.entity.value)).toEqual(['192.0.2.123']);
    expect(d[0]!.explanation).toContain('scanlogd reported a port scan from 192.0.2.123');
  });
  it("fires on PortSentry's block, from its history file or syslog", () => {
    expect(
      fired(
        'leuko/port-scan-reported',
        parsed(['1403884279 - 06/27/2014 17:51:19 Host: scanner.example/192.0.2.7 Port: 1 TCP Blocked']),
      ),
    ).toEqual(['192.0.2.7']);
    expect(
      fired(
        'leuko/port-scan-reported',
        parsed([
          'Jun 27 17:51:19 srv portsentry[811]: attackalert: SYN/Normal scan from host: 192.0.2.8/192.0.2.8 to TCP port: 111',
        ]),
      ),
    ).toEqual(['192.0.2.8']);
  });
  it('stays quiet for what is no scan report', () => {
    const ev = parsed([
      'Jun 27 17:51:20 srv portsentry[811]: attackalert: Host: 192.0.2.8/192.0.2.8 is already blocked Ignoring',
      'Mar  5 21:44:43 srv scanlogd: Started',
    ]);
    expect(fired('leuko/port-scan-reported', ev)).toEqual([]);
  });
});
