import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (line: string) => createParser('auto', { clock: createManualClock(NOW) })(line)?.event;

describe("Domino's console log", () => {
  it('reads the SMTP task refusing a login, in each date form', () => {
    for (const stamp of [
      '14-06-2024 09:00:00',
      '06/14/2024 09:00:00',
      '2024-06-14 09:00:00',
      '[2832:00010-3735542592] 14-06-2024 09:00:00',
    ])
      expect(parse(`${stamp}   smtp: bob [192.0.2.70] authentication failure using internet password`)).toMatchObject({
        '@timestamp': expect.stringMatching(/^2024-06-1[45]T/),
        'event.dataset': 'domino',
        'event.category': ['authentication'],
        'event.action': 'smtp_auth_failure',
        'event.outcome': 'failure',
        'source.ip': '192.0.2.70',
        'user.name': 'bob',
      });
    expect(
      parse(
        '2024-06-14 09:00:00   SMTP Server [0D14:0027-1334] Authentication failed for user Bob Smith ; connecting host [192.0.2.71]',
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.71', 'user.name': 'Bob Smith' });
  });

  it('reads a connection refused for policy reasons as a permanent SMTP refusal', () => {
    expect(
      parse(
        '2024-06-14 09:00:00   SMTP Server [000527:000013-0000001227564800] Connection from [192.0.2.72] rejected for policy reasons. IP address of connecting host not found in reverse DNS lookup.',
      ),
    ).toMatchObject({
      'event.action': 'smtp_reject',
      'event.outcome': 'failure',
      'leuko.smtp.permanent': true,
      'source.ip': '192.0.2.72',
    });
  });

  it('keeps the address Domino wrote when the user name plants another', () => {
    expect(
      parse(
        '2024-06-14 09:00:00   SMTP Server: Authentication failed for user x ; connecting host 10.66.66.66 ; connecting host 192.0.2.73',
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.73' });
    expect(
      parse(
        '14-06-2024 09:00:00   smtp: x [10.66.66.66] authentication failure using internet password [192.0.2.74] authentication failure using internet password',
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.74' });
  });

  it('leaves other console lines alone', () => {
    expect(parse('14-06-2024 09:00:00   SMTP Server: 192.0.2.75 connected')?.['event.outcome']).toBe(undefined);
    expect(parse('14-06-2024 09:00:00   Router: Transferred 3 messages to mail2/Example')?.['event.outcome']).toBe(
      undefined,
    );
  });
});
