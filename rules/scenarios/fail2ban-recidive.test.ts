import { describe, expect, it } from 'vitest';
import { fired, parsed, times } from './test-kit.js';

const H = 3600_000;
/** fail2ban's own log line banning `ip` in `jail`, `ms` after midnight. */
function ban(ms: number, ip: string, jail = 'sshd', what = 'Ban'): string {
  const t = new Date(Date.UTC(2026, 2, 2) + ms).toISOString().replace('T', ' ').replace('.', ',').slice(0, 23);
  return `${t} fail2ban.actions        [812]: NOTICE  [${jail}] ${what} ${ip}`;
}

describe('leuko/fail2ban-recidive', () => {
  it('fires on the fifth ban of one address within a day, whichever jails banned it', () => {
    const lines = times(5, (i) => ban(i * 4 * H, '203.0.113.60', i % 2 ? 'postfix-sasl' : 'sshd'));
    expect(fired('leuko/fail2ban-recidive', parsed(lines))).toEqual(['203.0.113.60']);
    expect(fired('leuko/fail2ban-recidive', parsed(lines.slice(0, 4)))).toEqual([]);
  });
  it('counts neither unbans, restored bans nor the recidive jail itself, and forgets bans days apart', () => {
    const lines = [
      ...times(5, (i) => ban(i * 60_000, '198.51.100.63', 'sshd', 'Restore Ban')),
      ...times(5, (i) => ban(i * 60_000, '198.51.100.60', 'sshd', 'Unban')),
      ...times(5, (i) => ban(i * 60_000, '198.51.100.61', 'recidive')),
      ...times(5, (i) => ban(i * 30 * H, '198.51.100.62')),
    ];
    expect(fired('leuko/fail2ban-recidive', parsed(lines))).toEqual([]);
  });
  it('reads the syslog forms too', () => {
    const lines = times(
      5,
      (i) =>
        `Mar  5 0${i}:41:28 test.org fail2ban-server[11524]: fail2ban.actions        [11524]: NOTICE  [postfix-auth] Ban 192.0.2.2`,
    );
    expect(fired('leuko/fail2ban-recidive', parsed(lines))).toEqual(['192.0.2.2']);
  });
});
