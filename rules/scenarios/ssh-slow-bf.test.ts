import { describe, expect, it } from 'vitest';
import { fired, run, S, ssh, times } from './test-kit.js';

describe('leuko/ssh-slow-bf', () => {
  it('fires on one failure every 30 s after about 20 tries', () => {
    const d = run(
      'leuko/ssh-slow-bf',
      times(25, (i) => ssh.invalid(i * 30 * S, '103.100.210.198', 'hadoop')),
    );
    expect(d.map((x) => x.count)).toEqual([20]);
  });
  it('stays quiet for one failure a minute', () => {
    expect(
      fired(
        'leuko/ssh-slow-bf',
        times(60, (i) => ssh.fail(i * 61 * S, '192.0.2.8')),
      ),
    ).toEqual([]);
  });
});
