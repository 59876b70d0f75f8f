import { describe, expect, it } from 'vitest';
import { fired, parsed, S, times } from './test-kit.js';

const connect = (t: number, ip: string) => {
  const at = new Date(Date.UTC(2026, 2, 2, 8, 0, 0) + t).toISOString();
  return `${at} [cowrie.ssh.factory.CowrieSSHFactory] New connection: ${ip}:4${t / S} (192.0.2.1:2222) [session: s${t}]`;
};

describe('leuko/honeypot-probe', () => {
  it('fires on a burst of connections to the honeypot', () => {
    expect(fired('leuko/honeypot-probe', parsed(times(4, (i) => connect(i * S, '203.0.113.90'))))).toEqual([
      '203.0.113.90',
    ]);
  });
  it('stays quiet for a few connections spread out', () => {
    expect(fired('leuko/honeypot-probe', parsed(times(4, (i) => connect(i * 30 * S, '203.0.113.91'))))).toEqual([]);
  });
});
