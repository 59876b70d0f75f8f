import { describe, expect, it } from 'vitest';
import { fired, M, run, ssh, times } from './test-kit.js';

describe('leuko/ssh-patient-bf', () => {
  it('fires on one failure every 9 minutes after 20 tries', () => {
    const d = run(
      'leuko/ssh-patient-bf',
      times(40, (i) => ssh.fail(i * 9 * M, '212.157.84.168', i % 2 ? 'oracle' : 'admin')),
    );
    expect(d.map((x) => x.count)).toEqual([20]);
    expect(d[0]?.remediation?.action).toBe('ban');
  });

  it('stays quiet for a person who mistypes all day but logs in each time', () => {
    const events = times(30, (i) => [
      ssh.fail(i * 20 * M, '192.0.2.8', 'alice'),
      ssh.fail(i * 20 * M + 5000, '192.0.2.8', 'alice'),
      ssh.ok(i * 20 * M + 10_000, '192.0.2.8', 'alice', 'password'),
    ]).flat();
    expect(fired('leuko/ssh-patient-bf', events)).toEqual([]);
  });

  it('stays quiet when the failures are spread over more than the window', () => {
    expect(
      fired(
        'leuko/ssh-patient-bf',
        times(30, (i) => ssh.fail(i * 40 * M, '192.0.2.9')),
      ),
    ).toEqual([]);
  });
});
