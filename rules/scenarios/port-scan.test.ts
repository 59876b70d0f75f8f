import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

/** Kernel firewall records (iptables LOG, nftables log, UFW) as syslog writes them. */
function packet(
  s: number,
  src: string,
  dpt: number,
  o: { prefix?: string; flags?: string; proto?: string; spt?: number } = {},
) {
  const stamp = `Jun 14 08:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  const prefix = o.prefix === undefined ? '' : `${o.prefix} `;
  const proto = o.proto ?? 'TCP';
  const tail = proto === 'TCP' ? ` WINDOW=1024 RES=0x00 ${o.flags ?? 'SYN'} URGP=0` : ' LEN=40';
  return `${stamp} edge1 kernel: [19955416.516358] ${prefix}IN=eth0 OUT= MAC=de:1c:88:64:10:19:5e:e1:a4:3b:cf:f0:08:00 SRC=${src} DST=198.51.100.1 LEN=44 TOS=0x00 PREC=0x00 TTL=43 ID=1 PROTO=${proto} SPT=${o.spt ?? 52220} DPT=${dpt}${tail}`;
}

describe('leuko/port-scan', () => {
  it('fires on sixteen distinct ports probed in a few seconds (nmap -sS)', () => {
    const ports = [21, 22, 23, 25, 53, 80, 110, 139, 143, 443, 445, 993, 995, 3306, 3389, 8080];
    const ev = parsed(ports.map((p, i) => packet(Math.floor(i / 4), '203.0.113.80', p, { prefix: '[UFW BLOCK]' })));
    expect(fired('leuko/port-scan', ev)).toEqual(['203.0.113.80']);
  });
  it('counts NULL, FIN and Xmas probes, not connection traffic', () => {
    const flags = ['FIN', 'FIN PSH URG', 'SYN'];
    const probes = parsed(times(16, (i) => packet(0, '203.0.113.81', 1000 + i, { flags: flags[i % 3]! })));
    expect(fired('leuko/port-scan', probes)).toEqual(['203.0.113.81']);
    // Late answers to this host's own connections arrive with ACK on its ephemeral ports.
    const replies = parsed(times(40, (i) => packet(0, '198.51.100.90', 40000 + i, { flags: 'ACK RST', spt: 443 })));
    expect(fired('leuko/port-scan', replies)).toEqual([]);
  });
  it('leaves UDP (late DNS answers, traceroute) and packets logged as allowed or audited alone', () => {
    const udp = parsed(times(40, (i) => packet(0, '192.0.2.53', 33434 + i, { proto: 'UDP', spt: 53 })));
    expect(fired('leuko/port-scan', udp)).toEqual([]);
    const allowed = parsed(times(20, (i) => packet(0, '192.0.2.60', 2000 + i, { prefix: 'nft-in-accept:' })));
    expect(fired('leuko/port-scan', allowed)).toEqual([]);
    const audited = parsed(times(20, (i) => packet(0, '192.0.2.61', 2000 + i, { prefix: '[UFW AUDIT]' })));
    expect(fired('leuko/port-scan', audited)).toEqual([]);
  });
  it('stays quiet for a client knocking on the same few ports', () => {
    const ev = parsed(times(60, (i) => packet(i, '192.0.2.62', [22, 80, 443][i % 3]!)));
    expect(fired('leuko/port-scan', ev)).toEqual([]);
  });
  it("reads pfSense's and OPNsense's filterlog the same way (blocked SYNs count, passes and ACKs do not)", () => {
    // rule,sub,anchor,tracker,if,reason,action,dir,4,tos,ecn,ttl,id,off,flags,proto,proto,len,src,dst,sport,dport,dlen,tcpflags,...
    const v4 = (action: string, src: string, dpt: number, flags = 'S') =>
      `Jun 14 08:00:01 fw1 filterlog[4242]: 5,,,1000000103,igb0,match,${action},in,4,0x0,,51,54321,0,none,6,tcp,44,${src},198.51.100.1,41234,${dpt},0,${flags},2048000001,,1024,,mss`;
    // IPv6, as OPNsense sends it in RFC 5424: class, flow label, hop limit, protocol, id, length first.
    const v6 = (src: string, dpt: number) =>
      `<134>1 2024-06-14T08:00:02+00:00 opnsense filterlog 69805 - [meta sequenceId="1"] 7,,,02f4bab031b57d1e30553ce08e0ec131,igb0,match,block,in,6,0x00,0x00000,58,tcp,6,40,${src},2001:db8::1,41234,${dpt},0,S,1,,1024,,mss`;
    const ports = times(16, (i) => 1000 + i * 7);
    expect(fired('leuko/port-scan', parsed(ports.map((p) => v4('block', '203.0.113.82', p))))).toEqual([
      '203.0.113.82',
    ]);
    expect(fired('leuko/port-scan', parsed(ports.map((p) => v6('2001:db8:77::5', p))))).toEqual(['2001:db8:77::5']);
    expect(fired('leuko/port-scan', parsed(ports.map((p) => v4('pass', '192.0.2.63', p))))).toEqual([]);
    expect(fired('leuko/port-scan', parsed(ports.map((p) => v4('block', '192.0.2.64', p, 'SA'))))).toEqual([]);
  });
});
