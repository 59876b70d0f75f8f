import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';
import { csvFields } from './protocol-log.js';

const parse = createParser('auto', { clock: createManualClock(Date.UTC(2026, 10, 1)) });
const smtp = (remote: string, data: string) =>
  `2024-06-14T09:00:00.270Z,EXCHANGE-1\\Default Frontend EXCHANGE-1,08DA4F7C11473A60,9,192.0.2.25:25,${remote},>,${data},`;
const imap = (remote: string, user: string, command = 'authenticate') =>
  `2024-06-14T09:00:00.530Z,000000000000000E,2,192.0.2.25:143,${remote},${user},168,31,31,${command},PLAIN,"R=""2 NO AUTHENTICATE failed."";Msg=""AuthFailed:LogonDenied,User: ${user.replaceAll('"', '""')}"";ErrMsg=AuthFailed:LogonDenied",`;

describe('Exchange protocol logs', () => {
  it('reads a refused SMTP AUTH with the remote endpoint as the client', () => {
    expect(parse(smtp('198.51.100.7:53722', '535 5.7.3 Authentication unsuccessful'))!.event).toMatchObject({
      'event.dataset': 'exchange',
      'event.action': 'smtp_login',
      'event.outcome': 'failure',
      'source.ip': '198.51.100.7',
      'source.port': 53722,
      'event.reason': '535 5.7.3 Authentication unsuccessful',
      '@timestamp': '2024-06-14T09:00:00.270Z',
    });
    expect(parse(smtp('198.51.100.7:53722', '250 2.0.0 OK'))).toBeNull();
  });
  it('reads a refused IMAP4 / POP3 login with the user', () => {
    expect(parse(imap('198.51.100.7:35070', 'testuser'))!.event).toMatchObject({
      'event.action': 'imap_login',
      'source.ip': '198.51.100.7',
      'user.name': 'testuser',
      'event.reason': 'AuthFailed:LogonDenied',
    });
    expect(parse(imap('198.51.100.7:35070', 'testuser', 'pass'))!.event['event.action']).toBe('pop3_login');
  });
  it('never takes the client from the user name: a quoted name keeps the columns, a bare comma drops the line', () => {
    const quoted = imap('198.51.100.7:35070', '"x,203.0.113.9:1,y"');
    expect(parse(quoted)!.event['source.ip']).toBe('198.51.100.7');
    expect(parse(imap('198.51.100.7:35070', 'x,203.0.113.9:1'))).toBeNull();
  });
  it('splits CSV with doubled quotes', () => {
    expect(csvFields('a,"b,""c""",d,')).toEqual(['a', 'b,"c"', 'd', '']);
    expect(csvFields('a,"b')).toBeUndefined();
  });
});
