import { describe, expect, it } from 'vitest';
import { fired, parsed, run, S, ssh, times } from './test-kit.js';

describe('leuko/ssh-bf', () => {
  it('fires on the sixth failure in a few seconds, with a ban hint', () => {
    const d = run(
      'leuko/ssh-bf',
      times(6, (i) => ssh.fail(i * S, '203.0.113.9', `u${i % 4}`)),
    );
    expect(d).toHaveLength(1);
    expect(d[0]!.explanation).toBe(
      '6 failed ssh logins from 203.0.113.9 for 4 distinct users in 5 s (capacity 5, leak 10s)',
    );
    expect(d[0]!.remediation).toEqual({ action: 'ban', durationS: 14400, scope: 'ip' });
  });
  it('counts invalid users and pre-auth disconnects as failures', () => {
    expect(
      fired(
        'leuko/ssh-bf',
        times(6, (i) =>
          i % 2 ? ssh.invalid(i * S, '198.51.100.1', 'oracle') : ssh.preauth(i * S, '198.51.100.1', 'root'),
        ),
      ),
    ).toEqual(['198.51.100.1']);
  });
  it('does not count bare connect-and-close (health checks, banner grabs)', () => {
    expect(
      fired(
        'leuko/ssh-bf',
        times(30, (i) => ssh.preauth(i * S, '192.0.2.50')),
      ),
    ).toEqual([]);
  });
  it('stays quiet for a user retrying every 15 s, and for successes', () => {
    expect(
      fired(
        'leuko/ssh-bf',
        times(20, (i) => ssh.fail(i * 15 * S, '192.0.2.7', 'alice')),
      ),
    ).toEqual([]);
    expect(
      fired(
        'leuko/ssh-bf',
        times(20, (i) => ssh.ok(i * S, '192.0.2.7')),
      ),
    ).toEqual([]);
  });
});

describe('leuko/ssh-user-enum', () => {
  it('fires on six distinct user names', () => {
    expect(
      fired(
        'leuko/ssh-user-enum',
        times(6, (i) => ssh.invalid(i * S, '203.0.113.5', `pascal${i}`)),
      ),
    ).toEqual(['203.0.113.5']);
  });
  it('ignores repeated tries at one account', () => {
    expect(
      fired(
        'leuko/ssh-user-enum',
        times(30, (i) => ssh.fail(i * 100, '203.0.113.5', 'root')),
      ),
    ).toEqual([]);
  });
});

describe('leuko/ssh-bf on Dropbear', () => {
  it('fires on Dropbear password failures as on OpenSSH ones', () => {
    const lines = times(
      6,
      (i) => `Jul 27 01:04:1${i} router1 dropbear[1335]: Bad password attempt for 'root' from 198.51.100.87:60588`,
    );
    expect(fired('leuko/ssh-bf', parsed(lines))).toEqual(['198.51.100.87']);
  });
});
