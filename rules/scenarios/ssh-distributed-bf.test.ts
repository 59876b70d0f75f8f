import { describe, expect, it } from 'vitest';
import { fired, run, S, ssh, times } from './test-kit.js';

describe('leuko/ssh-distributed-bf', () => {
  it('fires on 20 addresses failing within 10 minutes; the host is the entity', () => {
    const d = run(
      'leuko/ssh-distributed-bf',
      times(20, (i) => ssh.fail(i * 20 * S, `203.0.113.${i + 1}`, 'root', 'db1')),
    );
    expect(d).toHaveLength(1);
    expect(d[0]!.entity).toEqual({ type: 'host', value: 'db1' });
    expect(d[0]!.labels?.sources?.split(',')).toHaveLength(20);
    expect(d[0]!.remediation).toBeUndefined();
  });
  it('stays quiet when the addresses are spread over hours', () => {
    expect(
      fired(
        'leuko/ssh-distributed-bf',
        times(40, (i) => ssh.fail(i * 60 * S, `203.0.113.${i + 1}`)),
      ),
    ).toEqual([]);
  });
});

describe('leuko/ssh-distributed-user-bf', () => {
  it('fires on ten addresses spraying the same account', () => {
    expect(
      fired(
        'leuko/ssh-distributed-user-bf',
        times(10, (i) => ssh.fail(i * 60 * S, `198.51.100.${i + 1}`, 'deploy')),
      ),
    ).toEqual(['deploy']);
  });
  it('stays quiet for one address trying many times', () => {
    expect(
      fired(
        'leuko/ssh-distributed-user-bf',
        times(50, (i) => ssh.fail(i * S, '198.51.100.1', 'deploy')),
      ),
    ).toEqual([]);
  });
});
