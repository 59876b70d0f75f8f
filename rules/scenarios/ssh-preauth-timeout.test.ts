import { describe, expect, it } from 'vitest';
import type { EcsEvent, Observation } from '../../src/core/event.js';
import { fired, M, S, times } from './test-kit.js';

/** As the sshd parser reports `fatal: Timeout before authentication` and `ssh_dispatch_run_fatal`. */
function preauthFatal(t: number, ip: string, action: 'ssh_auth_timeout' | 'ssh_protocol_error'): Observation {
  const event = {
    '@timestamp': new Date(t).toISOString(),
    message: `sshd: ${action === 'ssh_auth_timeout' ? 'fatal: Timeout before authentication for' : 'ssh_dispatch_run_fatal: Connection from'} ${ip} port 4022`,
    'event.kind': 'event',
    'event.dataset': 'sshd',
    'event.category': ['network'],
    'event.outcome': 'failure',
    'event.action': action,
    'source.ip': ip,
  } as EcsEvent;
  return { time: t, event, sourceId: 'sample' };
}

describe('leuko/ssh-preauth-timeout', () => {
  it('fires on four grace-time timeouts from one address within minutes', () => {
    const ev = times(4, (i) => preauthFatal(i * 30 * S, '203.0.113.40', 'ssh_auth_timeout'));
    expect(fired('leuko/ssh-preauth-timeout', ev)).toEqual(['203.0.113.40']);
  });
  it('fires on a burst of packet-corruption fatals', () => {
    const ev = times(4, () => preauthFatal(0, '203.0.113.41', 'ssh_protocol_error'));
    expect(fired('leuko/ssh-preauth-timeout', ev)).toEqual(['203.0.113.41']);
  });
  it('leaves a slow client alone: a timeout now and then, or one each from many addresses', () => {
    const now = times(12, (i) => preauthFatal(i * 15 * M, '198.51.100.7', 'ssh_auth_timeout'));
    const spread = times(20, (i) => preauthFatal(i * S, `192.0.2.${i + 1}`, 'ssh_auth_timeout'));
    expect(fired('leuko/ssh-preauth-timeout', [...now, ...spread])).toEqual([]);
  });
});
