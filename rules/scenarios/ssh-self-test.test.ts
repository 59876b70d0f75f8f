import { describe, expect, it } from 'vitest';
import { run, ssh } from './test-kit.js';

const NAME = 'leuko/ssh-self-test';

describe('leuko/ssh-self-test', () => {
  it("alerts once, without a ban, on a failed login as leuko-test-* (or CrowdSec's crowdsec-test-*)", () => {
    const d = run(NAME, [ssh.invalid(0, '192.0.2.100', 'leuko-test-1733560000')]);
    expect(d.map((x) => x.entity.value)).toEqual(['192.0.2.100']);
    expect(d[0]!.remediation).toBeUndefined();
    expect(run(NAME, [ssh.fail(0, '192.0.2.101', 'crowdsec-test-NtktlJHV4T')]).map((x) => x.entity.value)).toEqual([
      '192.0.2.101',
    ]);
  });
  it('ignores every other user name and successful logins', () => {
    expect(
      run(NAME, [
        ssh.invalid(0, '192.0.2.102', 'test'),
        ssh.fail(1, '192.0.2.102', 'leuko'),
        ssh.ok(2, '192.0.2.102', 'leuko-test-x'),
      ]),
    ).toEqual([]);
  });
});
