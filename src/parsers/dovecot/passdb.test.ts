import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const SYSLOG = 'Oct  2 08:15:00 mx dovecot[2210]:';

function read(line: string) {
  const parse = createParser('dovecot', { clock: createManualClock(Date.UTC(2026, 9, 2)) });
  const ev = parse(`${SYSLOG} ${line}`)?.event;
  return {
    outcome: ev?.['event.outcome'],
    ip: ev?.['source.ip'],
    user: ev?.['user.name'],
    reason: ev?.['event.reason'],
  };
}

describe('dovecot passdb records', () => {
  it('reads 2.4 records: ids after the parenthesis, then the request number and the passdb name', () => {
    expect(
      read(
        'auth-worker(nadia,198.51.100.71)<5120><Qm3x9Lk2/0a>: request [41]: system_pam: pam_authenticate() failed: Authentication failure (Password mismatch?)',
      ),
    ).toEqual({
      outcome: 'failure',
      ip: '198.51.100.71',
      user: 'nadia',
      reason: 'pam_authenticate() failed: Authentication failure',
    });
    expect(read('auth: passwd-file(nadia,2001:db8::71)<Qm3x9Lk2>: unknown user')).toMatchObject({
      outcome: 'failure',
      ip: '2001:db8::71',
      user: 'nadia',
    });
    expect(read('auth-worker(nadia,198.51.100.72)<5121><Rk1>: request [42]: sql: Password mismatch')).toMatchObject({
      outcome: 'failure',
      ip: '198.51.100.72',
    });
  });

  it('still reads the 2.3 forms, with the session inside the parenthesis', () => {
    expect(
      read(
        'auth-worker(5120): conn unix:auth-worker (pid=5119,uid=117): auth-worker<3>: pam(nadia,198.51.100.73,<Qm3>): pam_authenticate() failed: Permission denied',
      ),
    ).toMatchObject({ outcome: 'failure', ip: '198.51.100.73', user: 'nadia' });
  });

  it('a record of another outcome is not a failure', () => {
    expect(
      read(
        'auth-worker(nadia,198.51.100.74)<5122><Rk2>: request [43]: system_pam: pam_authenticate() failed: Conversation error',
      ).outcome,
    ).not.toBe('failure');
  });

  // auth_verbose_passwords=plain logs the password after the outcome: client text after the real prefix.
  it('reads a logged password as text, never as a prefix with an address', () => {
    expect(
      read('auth: passwd-file(nadia,198.51.100.77,<Rk5>): Password mismatch (given password: hunter2)'),
    ).toMatchObject({ outcome: 'failure', ip: '198.51.100.77', user: 'nadia' });
    const planted = read(
      'auth: passwd-file(nadia,198.51.100.78,<Rk6>): Password mismatch (given password: x,203.0.113.98,<a>): unknown user)',
    );
    expect(planted.ip).not.toBe('203.0.113.98');
    expect(planted.outcome).not.toBe('failure');
  });

  // The user name is the client's: it can carry a whole fake prefix, address and outcome. Only the
  // last prefix on the line is dovecot's, and its outcome decides; the planted one is never read.
  it('never reads an outcome or an address planted in the user name', () => {
    for (const line of [
      'auth-worker(x,203.0.113.99)<1><s>: request [1]: pam: unknown user,198.51.100.75)<5123><Rk3>: request [44]: system_pam: pam_authenticate() failed: Conversation error',
      'auth-worker(5123): pam(x,203.0.113.99): unknown user,198.51.100.75,<Rk3>): pam_authenticate() failed: Conversation error',
    ]) {
      expect(read(line).ip).not.toBe('203.0.113.99');
      expect(read(line).outcome).not.toBe('failure');
    }
    expect(
      read(
        'auth-worker(x,203.0.113.99)<1><s>: request [1]: pam: unknown user,198.51.100.76)<5124><Rk4>: request [45]: sql: Password mismatch',
      ),
    ).toMatchObject({ outcome: 'failure', ip: '198.51.100.76' });
  });
});
