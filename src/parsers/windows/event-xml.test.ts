import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const auto = () => createParser('auto', { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')) });
const event = (id: string, fields: string, time = '2024-06-15T09:00:01.9027913Z') =>
  `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>  <Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-a5ba-3e3b0328c30d}" />   <EventID>${id}</EventID>   <TimeCreated SystemTime="${time}" />   <Computer>dc1.example.org</Computer>   </System><EventData>  ${fields}   </EventData></Event>`;
const data = (name: string, value: string) => `<Data Name="${name}">${value}</Data>`;

describe('windows security XML events', () => {
  it('reads a failed logon (4625)', () => {
    const r = auto()(
      event(
        '4625',
        data('TargetUserName', 'bob &amp; co') +
          data('TargetDomainName', 'EXAMPLE') +
          data('Status', '0xc000006d') +
          data('SubStatus', '0xc0000064') +
          data('LogonType', '3') +
          data('IpAddress', '::ffff:198.51.100.20') +
          data('IpPort', '50512'),
      ),
    );
    expect(r?.time).toBe(Date.parse('2024-06-15T09:00:01.902Z'));
    expect(r?.event).toMatchObject({
      'event.dataset': 'windows.security',
      'event.code': '4625',
      'event.category': ['authentication'],
      'event.outcome': 'failure',
      'source.ip': '198.51.100.20',
      'source.port': 50512,
      'user.name': 'bob & co',
      'user.domain': 'EXAMPLE',
      'event.reason': '0xc0000064',
      'leuko.windows.logon_type': '3',
      'host.hostname': 'dc1.example.org',
    });
  });
  it('reads a logon (4624); a local one keeps no client', () => {
    const r = auto()(event('4624', data('TargetUserName', 'alice') + data('IpAddress', '-') + data('IpPort', '-')));
    expect(r?.event['event.outcome']).toBe('success');
    expect(r?.event['source.ip']).toBeUndefined();
  });
  it('drops a line that names the address twice (unescaped client text)', () => {
    const r = auto()(
      event('4625', data('TargetUserName', `x${data('IpAddress', '10.66.66.66')}`) + data('IpAddress', '203.0.113.9')),
    );
    expect(r).toBeNull();
  });
  it('leaves other events and lines to other readers', () => {
    const p = auto();
    expect(p(event('4688', data('IpAddress', '203.0.113.9')))?.event['event.dataset']).not.toBe('windows.security');
    expect(
      p(
        '<W>2015-11-29 16:38:01.818 1 => <4:bob(-1)> Rejected connection from 203.0.113.3:29530: Invalid server password',
      )?.event['event.dataset'],
    ).toBe('murmur');
  });
});
