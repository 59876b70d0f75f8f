import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/clock.js';
import { createParser } from '../index.js';

const parser = (format = 'sshd') =>
  createParser(format, { clock: createManualClock(Date.parse('2024-06-15T12:00:00Z')), logPath: '/var/log/auth.log' });

const FAIL = 'Jun 14 09:00:00 web1 sshd[7]: Failed password for root from 203.0.113.80 port 4242 ssh2';

describe('repeat notices of syslog daemons', () => {
  for (const format of ['sshd', 'syslog', 'auto']) {
    it(`reads sysklogd's "last message repeated N times" as N more of the line before (${format})`, () => {
      const p = parser(format);
      expect(p(FAIL)?.event['source.ip']).toBe('203.0.113.80');
      const notice = 'Jun 14 09:00:30 web1 last message repeated 4 times';
      const r = p(notice);
      expect(r?.repeat).toBe(4);
      expect(r?.time).toBe(Date.UTC(2024, 5, 14, 9, 0, 30));
      expect(r?.event).toMatchObject({
        '@timestamp': '2024-06-14T09:00:30.000Z',
        message: notice,
        'event.outcome': 'failure',
        'source.ip': '203.0.113.80',
        'user.name': 'root',
        'leuko.repeated': 4,
      });
      // A second notice still repeats the failure, not the first notice.
      expect(p('Jun 14 09:01:30 web1 last message repeated 2 times')?.repeat).toBe(2);
    });
  }

  it('reads the BSD form and syslog-ng suppress() summaries', () => {
    const p = parser();
    p(FAIL);
    expect(p('Jun 14 09:00:30 web1 --- last message repeated 3 times ---')?.repeat).toBe(3);
    const ng = p(
      "Jun 14 09:00:40 web1 sshd: Last message 'Failed password for ' repeated 6 times, suppressed by syslog-ng on log1.example.net",
    );
    expect(ng?.repeat).toBe(6);
    expect(ng?.event['source.ip']).toBe('203.0.113.80');
  });

  it('repeats nothing that is not the line before: another host, another syslog-ng start, a dropped line', () => {
    const p = parser();
    p(FAIL);
    const other = p('Jun 14 09:00:30 db1 last message repeated 4 times');
    expect(other?.repeat).toBeUndefined();
    expect(other?.event['source.ip']).toBeUndefined();
    const wrongStart = p(
      "Jun 14 09:00:40 web1 sshd: Last message 'Accepted password f' repeated 6 times, suppressed by syslog-ng on h",
    );
    expect(wrongStart?.repeat).toBeUndefined();
    // The notice repeats the LAST line: after a cron line, no failure is repeated.
    p(FAIL);
    p('Jun 14 09:00:50 web1 CRON[5]: pam_unix(cron:session): session closed for user root');
    const afterCron = p('Jun 14 09:00:59 web1 last message repeated 9 times');
    expect(afterCron?.event['source.ip']).toBeUndefined();
    // Text that merely looks like a notice is not one: a program's own message, a bad count.
    p(FAIL);
    expect(p('Jun 14 09:01:00 web1 myapp: last message repeated 9 times')?.repeat).toBeUndefined();
    expect(p('Jun 14 09:01:01 web1 last message repeated lots times')?.repeat).toBeUndefined();
    // At most MAX_REPEAT occurrences per notice.
    p(FAIL);
    expect(p('Jun 14 09:01:02 web1 last message repeated 999999 times')?.repeat).toBe(1000);
  });

  it('keeps the line to repeat across a restart (parser snapshot)', () => {
    const first = parser();
    first(FAIL);
    const state = first.snapshot?.();
    expect(state).toBeDefined();
    const second = parser();
    second.restore?.(state!);
    const r = second('Jun 14 09:00:30 web1 last message repeated 4 times');
    expect(r?.repeat).toBe(4);
    expect(r?.event['source.ip']).toBe('203.0.113.80');
  });
});
