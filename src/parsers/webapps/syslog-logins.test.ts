import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (line: string) => createParser('auto', { clock: createManualClock(NOW) })(line)?.event;

describe('Froxlor and Horde', () => {
  it('reads Froxlor refused logins, the address first', () => {
    const at = 'Jun 14 09:00:00 panel1 Froxlor: [Login Action 192.0.2.40] ';
    expect(parse(`${at}Unknown user 'bob' tried to login.`)).toMatchObject({
      'event.dataset': 'froxlor',
      'event.outcome': 'failure',
      'source.ip': '192.0.2.40',
      'user.name': 'bob',
    });
    expect(parse(`${at}User 'x] 10.66.66.66' tried to login with wrong password.`)).toMatchObject({
      'source.ip': '192.0.2.40',
    });
    expect(parse(`${at}User 'bob' logged out.`)?.['event.outcome']).toBe(undefined);
  });

  it("reads Horde's failed logins from its own file and through syslog", () => {
    const tail = 'to Horde [on line 116 of "/usr/share/horde/login.php"]';
    expect(parse(`Jun 14 09:00:00 HORDE [error] [horde] FAILED LOGIN for bob [192.0.2.41] ${tail}`)).toMatchObject({
      'event.dataset': 'horde',
      'event.outcome': 'failure',
      'source.ip': '192.0.2.41',
      'user.name': 'bob',
    });
    expect(
      parse(
        'Jun 14 09:00:00 web1 HORDE[311]: [imp] FAILED LOGIN for bob@example.org [2001:db8::41] to {imap.example.org:993 [imap/ssl]} [pid 311 on line 139 of "/usr/share/horde/imp/lib/Auth/imp.php"]',
      ),
    ).toMatchObject({ 'source.ip': '2001:db8::41', 'user.name': 'bob@example.org' });
    // A name that plants an address and a `{` is read as the name, up to the real address.
    expect(
      parse(
        'Jun 14 09:00:00 web1 HORDE[311]: [imp] FAILED LOGIN for x [10.66.66.66] to { [192.0.2.42] to {imap.example.org:993 [imap/ssl]} [pid 311 on line 139 of "f"]',
      ),
    ).toMatchObject({ 'source.ip': '192.0.2.42' });
    expect(parse('Jun 14 09:00:00 HORDE [notice] [horde] Login success for bob to horde')?.['event.outcome']).toBe(
      undefined,
    );
  });
});
