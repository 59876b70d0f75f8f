import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parse = createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });
const audit = (user: string, status: string, remote: string) =>
  `Sep 24 10:04:52 fs1 smbd[2725]: Auth: [SMB2,(null)] user [WORKGROUP]\\[${user}] at [Fri, 24 Sep 2021 10:04:52.030937 UTC] with [NTLMv2] status [${status}] workstation [WS] remote host [${remote}] mapped to [WORKGROUP]\\[${user}]. local host [ipv4:10.1.1.1:445]`;

describe('samba auth audit', () => {
  it('reads the client address, the account and the outcome', () => {
    const ev = parse(audit('toto', 'NT_STATUS_NO_SUCH_USER', 'ipv4:1.2.3.4:62419'))!.event;
    expect(ev['event.dataset']).toBe('samba');
    expect(ev['source.ip']).toBe('1.2.3.4');
    expect(ev['source.port']).toBe(62419);
    expect(ev['user.name']).toBe('toto');
    expect(ev['user.domain']).toBe('WORKGROUP');
    expect(ev['event.outcome']).toBe('failure');
    expect(parse(audit('alice', 'NT_STATUS_OK', 'ipv6:2001:db8::7:445'))!.event).toMatchObject({
      'source.ip': '2001:db8::7',
      'event.outcome': 'success',
    });
    expect(parse(audit('x', 'NT_STATUS_NO_LOGON_SERVERS', 'ipv4:1.2.3.4:1'))!.event['event.outcome']).toBeUndefined();
  });
  it('drops a line whose user name plants another remote host', () => {
    const planted = audit('x] remote host [ipv4:203.0.113.9:1', 'NT_STATUS_WRONG_PASSWORD', 'ipv4:1.2.3.4:62419');
    const r = parse(planted);
    expect(r?.event['source.ip']).toBeUndefined();
  });
});
