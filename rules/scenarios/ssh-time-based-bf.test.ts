import { describe, expect, it } from 'vitest';
import { fired, M, S, ssh } from './test-kit.js';

describe('leuko/ssh-time-based-bf', () => {
  it('fires on four failures twenty minutes apart', () => {
    const ev = [0, 20, 40, 60].map((m, i) =>
      ssh.invalid(m * M, '10.0.0.101', ['root', 'mysql', 'oracle', 'postgres'][i]!),
    );
    expect(fired('leuko/ssh-time-based-bf', ev)).toEqual(['10.0.0.101']);
    expect(fired('leuko/ssh-time-based-user-enum', ev)).toEqual(['10.0.0.101']);
  });
  it('stays quiet when a success comes in between, or the spacing is a burst', () => {
    const cancelled = [
      ssh.fail(0, 'a'),
      ssh.fail(20 * M, 'a'),
      ssh.ok(25 * M, 'a', 'test', 'password'),
      ssh.fail(40 * M, 'a'),
      ssh.fail(60 * M, 'a'),
    ];
    expect(fired('leuko/ssh-time-based-bf', cancelled)).toEqual([]);
    const burst = [0, 2 * S, 4 * S, 60 * M + 4 * S].map((t) => ssh.fail(t, 'b'));
    expect(fired('leuko/ssh-time-based-bf', burst)).toEqual([]);
  });
  it('user-enum variant ignores the same account tried again', () => {
    expect(
      fired(
        'leuko/ssh-time-based-user-enum',
        [0, 20, 40, 60, 80].map((m) => ssh.fail(m * M, 'c', 'root')),
      ),
    ).toEqual([]);
  });
});
