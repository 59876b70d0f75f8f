import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (format: string, line: string) => createParser(format, { clock: createManualClock(NOW) })(line)?.event;

describe('remote access through syslog: screen sharing, ZNC, SoftEther', () => {
  it.each(['auto', 'syslog'])('reads macOS screen sharing logins, the year before the time (%s)', (format) => {
    const at = 'Jun 14 2024 09:00:00 mac1 screensharingd[1170]: Authentication: ';
    expect(parse(format, `${at}FAILED :: User Name: bob :: :: Viewer Address: 192.0.2.30 :: Type: DH`)).toMatchObject({
      '@timestamp': expect.stringMatching(/^2024-06-1[34]T/),
      'event.dataset': 'screensharingd',
      'event.category': ['authentication'],
      'event.outcome': 'failure',
      'source.ip': '192.0.2.30',
      'user.name': 'bob ::',
    });
    expect(parse(format, `${at}SUCCEEDED :: User Name: bob :: Viewer Address: 192.0.2.30 :: Type: DH`)).toMatchObject({
      'event.outcome': 'success',
    });
    expect(
      parse(
        format,
        `${at}FAILED :: User Name: x :: Viewer Address: 10.66.66.66 :: Type: DH :: Viewer Address: 192.0.2.31 :: Type: DH`,
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.31' });
  });

  it('reads ZNC through syslog', () => {
    expect(parse('auto', 'Jun 14 09:00:00 irc1 znc[37232]: [bob] failed to login from 192.0.2.32:65009')).toMatchObject(
      {
        'event.dataset': 'znc',
        'event.outcome': 'failure',
        'source.ip': '192.0.2.32',
      },
    );
    expect(parse('auto', 'Jun 14 09:00:00 irc1 znc[37232]: [bob] attached')?.['event.outcome']).toBe(undefined);
  });

  it('reads SoftEther VPN security records through syslog', () => {
    const line =
      '2024-06-14T09:00:00 vpn1  [vpn1.example.org/VPN/DEFAULT] (2024-06-14 09:00:00.591) <SECURITY_LOG>: Connection "CID-594": User authentication failed. The user name that has been provided was "alice", from 192.0.2.33.';
    expect(parse('auto', line)).toMatchObject({
      'event.dataset': 'softethervpn',
      'event.outcome': 'failure',
      'source.ip': '192.0.2.33',
      'user.name': 'alice',
    });
    expect(parse('auto', line.replace('<SECURITY_LOG>', '<SERVER_LOG>'))?.['event.outcome']).toBe(undefined);
  });
});
