import { describe, expect, it } from 'vitest';
import { fieldText, journalEntryToLine, syslogTimestamp } from './entry-to-line.js';

// 2026-01-05T09:03:07.123456Z in microseconds, as journalctl prints it (a string).
const T = String(Date.UTC(2026, 0, 5, 9, 3, 7) * 1000 + 123456);

describe('journal entry to syslog line', () => {
  it('builds MMM dd HH:MM:SS HOST IDENT[PID]: MESSAGE', () => {
    const line = journalEntryToLine(
      {
        __REALTIME_TIMESTAMP: T,
        _HOSTNAME: 'web1',
        SYSLOG_IDENTIFIER: 'sshd',
        _PID: '4242',
        MESSAGE: 'Failed password for root from 203.0.113.9 port 22 ssh2',
      },
      'utc',
    );
    expect(line).toBe('Jan  5 09:03:07 web1 sshd[4242]: Failed password for root from 203.0.113.9 port 22 ssh2');
  });

  it('decodes byte-array messages, takes the first of repeated fields, falls back on _COMM', () => {
    const bytes = [...Buffer.from('caf\u00e9 \x1b[1m')];
    expect(journalEntryToLine({ __REALTIME_TIMESTAMP: T, _COMM: 'cron', MESSAGE: bytes }, 'utc')).toBe(
      'Jan  5 09:03:07 localhost cron: café #033[1m',
    );
    expect(fieldText(['first', 'second'])).toBe('first');
    expect(fieldText([[104, 105], [111]])).toBe('hi');
    expect(fieldText(null)).toBeUndefined();
  });

  it('prefers SYSLOG_PID, omits a missing pid, escapes newlines in the message', () => {
    expect(
      journalEntryToLine(
        { __REALTIME_TIMESTAMP: T, _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'kernel', MESSAGE: 'a\nb' },
        'utc',
      ),
    ).toBe('Jan  5 09:03:07 h kernel: a#012b');
    expect(
      journalEntryToLine(
        { __REALTIME_TIMESTAMP: T, _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'su', SYSLOG_PID: '7', _PID: '8', MESSAGE: 'x' },
        'utc',
      ),
    ).toBe('Jan  5 09:03:07 h su[7]: x');
  });

  it("does not let a chosen identifier forge another program's line", () => {
    const line = journalEntryToLine(
      { __REALTIME_TIMESTAMP: T, _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'sshd[1]: Failed password for root', MESSAGE: 'x' },
      'utc',
    );
    expect(line).toBe('Jan  5 09:03:07 h sshd_1___Failed_password_for_root: x');
  });

  it('returns null without a message or a valid timestamp', () => {
    expect(journalEntryToLine({ __REALTIME_TIMESTAMP: T })).toBeNull();
    expect(journalEntryToLine({ MESSAGE: 'x' })).toBeNull();
    expect(journalEntryToLine({ MESSAGE: 'x', __REALTIME_TIMESTAMP: 'soon' })).toBeNull();
  });

  it('pads the day with a space and uses local time by default', () => {
    expect(syslogTimestamp(Date.UTC(2026, 11, 25, 23, 59, 59), 'utc')).toBe('Dec 25 23:59:59');
    const d = new Date(2026, 6, 4, 1, 2, 3);
    expect(syslogTimestamp(d.getTime(), 'local')).toBe('Jul  4 01:02:03');
  });
});
