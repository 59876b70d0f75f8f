import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');
const parse = (line: string) => createParser('auto', { clock: createManualClock(NOW) })(line)?.event;

describe('Open WebMail and Monitorix', () => {
  it("reads Open WebMail's login errors, the address first", () => {
    const at = 'Fri Jun 14 09:00:00 2024 - [72926] (192.0.2.110) ';
    for (const rest of [
      'bob - login error - auth_unix.pl, ret -4, Password incorrect',
      'bob - login error - no such user - loginname=bob',
      "bob - userinfo error - auth_unix.pl, ret -4, User bob doesn't exist",
    ])
      expect(parse(at + rest)).toMatchObject({
        '@timestamp': expect.stringMatching(/^2024-06-1[45]T/),
        'event.dataset': 'openwebmail',
        'event.outcome': 'failure',
        'source.ip': '192.0.2.110',
        'user.name': 'bob',
      });
    expect(parse(`${at}bob (192.0.2.9) - login error - x`)).toMatchObject({ 'source.ip': '192.0.2.110' });
    expect(parse(`${at}bob - logout - 123`)?.['event.outcome']).toBe(undefined);
  });

  it("reads Monitorix's web server: authentication errors, refusals and missing files", () => {
    const at = 'Fri Jun 14 09:00:00 2024 - ';
    expect(parse(`${at}AUTHERR - [192.0.2.111] Authentication error: /monitorix/`)).toMatchObject({
      'event.dataset': 'monitorix',
      'event.category': ['web', 'authentication'],
      'event.outcome': 'failure',
      'source.ip': '192.0.2.111',
    });
    expect(parse(`${at}NOTALLOWED - [192.0.2.112] Access not allowed: /monitorix/`)).toMatchObject({
      'event.category': ['web'],
      'event.action': 'http_access_denied',
      'event.outcome': 'failure',
    });
    expect(parse(`${at}OK - [192.0.2.113] "GET /monitorix-cgi/monitorix.cgi - [10.66.66.66]"`)).toMatchObject({
      'event.outcome': 'success',
      'source.ip': '192.0.2.113',
    });
  });
});
