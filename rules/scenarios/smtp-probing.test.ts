import { describe, expect, it } from 'vitest';
import { postfixLine as line } from './postfix-lines.js';
import { fired, parsed, times } from './test-kit.js';

describe('leuko/smtp-relay-attempt', () => {
  it('fires on the second relay attempt within minutes, temporary or permanent reject alike', () => {
    expect(fired('leuko/smtp-relay-attempt', parsed([line.relay(0, '1.2.3.4'), line.relay(17, '1.2.3.4')]))).toEqual([
      '1.2.3.4',
    ]);
    const temp = parsed([line.relay(0, '1.2.3.5', '454 4.7.1'), line.relay(300, '1.2.3.5', '454 4.7.1')]);
    expect(fired('leuko/smtp-relay-attempt', temp)).toEqual(['1.2.3.5']);
  });
  it('stays quiet for one attempt, attempts hours apart and other rejects', () => {
    const ev = parsed([
      line.relay(0, '198.51.100.7'),
      line.relay(2 * 3600, '198.51.100.7'),
      ...times(5, (i) => line.unknownUser(i, '198.51.100.8')),
      ...times(5, (i) => line.greylisted(i, '198.51.100.9')),
    ]);
    expect(fired('leuko/smtp-relay-attempt', ev)).toEqual([]);
  });
});

describe('leuko/smtp-non-smtp-command', () => {
  it('fires on the first HTTP request to the SMTP port, once per blackhole', () => {
    const ev = parsed([line.nonSmtp(0, '192.0.2.9'), line.nonSmtp(5, '192.0.2.9')]);
    expect(fired('leuko/smtp-non-smtp-command', ev)).toEqual(['192.0.2.9']);
  });
  it('stays quiet for SMTP clients, even failing ones', () => {
    const ev = parsed([line.pipelining(0, '192.0.2.10'), line.sasl(1, '192.0.2.10'), line.relay(2, '192.0.2.10')]);
    expect(fired('leuko/smtp-non-smtp-command', ev)).toEqual([]);
  });
});

describe('leuko/smtp-bot-helo', () => {
  const helo = (s: number, ip: string, name: string, spf = 'None') =>
    `2026-01-15 10:05:${String(s).padStart(2, '0')} +0000 08 mail.example.org SMTP-IN:0000${s}: SPF result for EHLO domain <${name}> connected from <${ip}>: ${spf}`;
  it('fires on a bot greeting as User or localhost connection after connection', () => {
    const ev = parsed(
      times(9, (i) => helo(i, '203.0.113.94', i % 2 ? 'User' : 'localhost', i % 2 ? 'Neutral' : 'None')),
    );
    expect(fired('leuko/smtp-bot-helo', ev)).toEqual(['203.0.113.94']);
  });
  it('stays quiet for servers naming themselves, mail SPF passes, and a few bot greetings', () => {
    const servers = parsed(times(12, (i) => helo(i, '198.51.100.95', 'mx.example.net')));
    expect(fired('leuko/smtp-bot-helo', servers)).toEqual([]);
    const passing = parsed(times(12, (i) => helo(i, '198.51.100.96', 'localhost', 'Pass')));
    expect(fired('leuko/smtp-bot-helo', passing)).toEqual([]);
    expect(fired('leuko/smtp-bot-helo', parsed(times(4, (i) => helo(i, '198.51.100.97', 'User'))))).toEqual([]);
  });
});
