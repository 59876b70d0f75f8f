import { describe, expect, it } from 'vitest';
import { fired, S, ssh, times } from './test-kit.js';

describe('leuko/ssh-key-probing', () => {
  it('fires on many public-key failures and pre-auth drops without a password try', () => {
    const ev = times(11, (i) =>
      i % 2 ? ssh.pubkey(i * S, '198.51.100.9') : ssh.preauth(i * S, '198.51.100.9', 'root'),
    );
    expect(fired('leuko/ssh-key-probing', ev)).toEqual(['198.51.100.9']);
  });
  it('ignores bare connect-and-close', () => {
    expect(
      fired(
        'leuko/ssh-key-probing',
        times(40, (i) => ssh.preauth(i * S, '192.0.2.60')),
      ),
    ).toEqual([]);
  });
  it('a password attempt or a success cancels it', () => {
    const withPassword = [
      ...times(6, (i) => ssh.pubkey(i * S, 'x')),
      ssh.fail(6 * S, 'x'),
      ...times(6, (i) => ssh.pubkey((7 + i) * S, 'x')),
    ];
    expect(fired('leuko/ssh-key-probing', withPassword)).toEqual([]);
    const agentKeys = [
      ...times(6, (i) => ssh.pubkey(i * 100, 'y', 'alice')),
      ssh.ok(700, 'y'),
      ...times(6, (i) => ssh.pubkey(800 + i * 100, 'y', 'alice')),
    ];
    expect(fired('leuko/ssh-key-probing', agentKeys)).toEqual([]);
  });
});
