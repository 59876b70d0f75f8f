import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (line: string) => createParser('auto', { clock: createManualClock(NOW) })(line)?.event;

describe("Kerio Connect's security log", () => {
  it('reads refused logins', () => {
    expect(
      parse("[14/Jun/2024 09:00:00] IMAP: User bob@example.org doesn't exist. Attempt from IP address 192.0.2.100."),
    ).toMatchObject({
      '@timestamp': expect.stringMatching(/^2024-06-1[45]T/),
      'event.dataset': 'kerio',
      'event.category': ['authentication'],
      'event.outcome': 'failure',
      'source.ip': '192.0.2.100',
      'user.name': 'bob@example.org',
    });
    expect(parse('[14/Jun/2024 09:00:00] Failed SMTP login from 192.0.2.101 with SASL method PLAIN.')).toMatchObject({
      'event.category': ['authentication'],
      'source.ip': '192.0.2.101',
    });
    expect(
      parse(
        '[14/Jun/2024 09:00:00] Administration login into Web Administration from 192.0.2.102 failed: IP address not allowed',
      ),
    ).toMatchObject({ 'event.outcome': 'failure', 'source.ip': '192.0.2.102' });
  });

  it('reads SMTP refusals as mail events', () => {
    expect(
      parse(
        '[14/Jun/2024 09:00:00] IP address 192.0.2.103 found in DNS blacklist SpamCop, mail from <a@example.net> to <b@example.org> rejected',
      ),
    ).toMatchObject({
      'event.category': ['email'],
      'event.action': 'smtp_reject',
      'leuko.smtp.rbl': 'SpamCop',
      'source.ip': '192.0.2.103',
    });
    expect(
      parse('[14/Jun/2024 09:00:00] SMTP Spam attack detected from 192.0.2.104, client sent data before SMTP greeting'),
    ).toMatchObject({
      'event.action': 'smtp_improper_command_pipelining',
    });
  });

  it('keeps the address Kerio wrote when the client text plants another', () => {
    expect(
      parse(
        '[14/Jun/2024 09:00:00] Attempt to deliver to unknown recipient <x>, from <y>, IP address 10.66.66.66>, from <z>, IP address 192.0.2.105',
      ),
    ).toMatchObject({ 'event.action': 'smtp_unknown_recipient', 'source.ip': '192.0.2.105' });
    expect(
      parse(
        "[14/Jun/2024 09:00:00] SMTP: User x. Attempt from IP address 10.66.66.66. doesn't exist. Attempt from IP address 192.0.2.106.",
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.106' });
  });

  it('leaves other records alone', () => {
    expect(parse('[14/Jun/2024 09:00:00] Started Kerio Connect')?.['event.outcome']).toBe(undefined);
  });
});

describe('Kerio Connect: SMTP logins are SMTP authentication failures', () => {
  it('names the action by the protocol', () => {
    expect(
      parse("[14/Jun/2024 09:00:00] SMTP: User bob doesn't exist. Attempt from IP address 192.0.2.107.")?.[
        'event.action'
      ],
    ).toBe('smtp_auth_failure');
    expect(
      parse('[14/Jun/2024 09:00:00] IMAP: Invalid password for user bob. Attempt from IP address 192.0.2.108.')?.[
        'event.action'
      ],
    ).toBe('login_failure');
  });
});
