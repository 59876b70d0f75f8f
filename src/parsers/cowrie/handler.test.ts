import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const auto = () => createParser('auto', { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
const SYSLOG = 'Jun 15 06:28:44 hp1 cowrie[2806]: 2024-06-15T06:28:44+0000';

describe('cowrie', () => {
  it('reads a new connection through syslog and from its own log', () => {
    const p = auto();
    const r = p(
      `${SYSLOG} [cowrie.ssh.factory.CowrieSSHFactory] New connection: 203.0.113.80:47631 (192.0.2.1:2222) [session: 3e5a9212s1f]`,
    );
    expect(r?.event).toMatchObject({
      'event.dataset': 'cowrie',
      'event.action': 'honeypot_connection',
      'source.ip': '203.0.113.80',
      'source.port': 47631,
      'destination.port': 2222,
      'network.protocol': 'ssh',
    });
    const own = p(
      '2024-06-15T06:28:45.123456Z [cowrie.telnet.factory.HoneyPotTelnetFactory] New connection: 203.0.113.81:1 (192.0.2.1:2223) [session: ab12]',
    );
    expect(own?.event).toMatchObject({ 'source.ip': '203.0.113.81', 'network.protocol': 'telnet' });
    expect(own?.time).toBe(Date.parse('2024-06-15T06:28:45.123Z'));
  });
  it('reads login attempts, the address from the transport column before the credentials', () => {
    const p = auto();
    const r = p(
      `${SYSLOG} [HoneyPotSSHTransport,3,203.0.113.82] login attempt [b'root'/b'123 from 10.66.66.66'] failed`,
    );
    expect(r?.event).toMatchObject({
      'event.action': 'honeypot_login',
      'event.outcome': 'failure',
      'source.ip': '203.0.113.82',
      'user.name': 'root',
    });
    const ok = p(
      '2024-06-15T06:28:46.000000Z [HoneyPotTelnetSession,4,203.0.113.83] login attempt [admin/admin] succeeded',
    );
    expect(ok?.event).toMatchObject({
      'event.outcome': 'success',
      'source.ip': '203.0.113.83',
      'network.protocol': 'telnet',
    });
  });
  it('reads cowrie.json', () => {
    const r = auto()(
      JSON.stringify({
        eventid: 'cowrie.login.failed',
        username: 'root',
        password: '10.66.66.66',
        src_ip: '203.0.113.84',
        session: 'a1',
        protocol: 'ssh',
        timestamp: '2024-06-15T06:28:47.000000Z',
      }),
    );
    expect(r?.event).toMatchObject({
      'event.dataset': 'cowrie',
      'event.outcome': 'failure',
      'source.ip': '203.0.113.84',
    });
  });
  it('leaves other lines alone', () => {
    const p = auto();
    expect(p(`${SYSLOG} [HoneyPotSSHTransport,3,203.0.113.82] CMD: ls`)?.event['source.ip']).toBeUndefined();
    expect(p('2024-06-15 13:05:08 user2 203.0.113.12 failed to login')?.event['event.dataset']).toBe('hestiacp');
  });
});
