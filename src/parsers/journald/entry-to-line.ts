import { escapeControlChars } from '../syslog/escape.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * A journal field as `journalctl -o json` prints it: a string; an array of byte values when
 * the data is not valid UTF-8 (or has control bytes); an array of those when the field
 * occurs several times in the entry (we take the first); null when too large without --all.
 */
export function fieldText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (!Array.isArray(v) || v.length === 0) return undefined;
  if (typeof v[0] === 'number') {
    return Buffer.from(v.filter((b): b is number => typeof b === 'number' && b >= 0 && b <= 255)).toString('utf8');
  }
  return fieldText(v[0]);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `Jan  5 09:03:07`: the classic BSD syslog timestamp (day padded with a space). */
export function syslogTimestamp(ms: number, timeZone: 'local' | 'utc'): string {
  const d = new Date(ms);
  const utc = timeZone === 'utc';
  const month = MONTHS[utc ? d.getUTCMonth() : d.getMonth()];
  const day = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const m = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  return `${month} ${day < 10 ? ` ${day}` : day} ${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

/**
 * Turn one journal entry into the line rsyslog would have written for it,
 * `MMM dd HH:MM:SS HOST IDENT[PID]: MESSAGE`, so the same parsers (sshd, sudo, ...) apply.
 * Local time by default, like /var/log files; `iso` writes rsyslog's RFC 3339 stamp instead. Control characters in the message (journald
 * keeps multi-line messages whole) are escaped as rsyslog does. Returns null for an entry
 * without a usable MESSAGE or timestamp.
 */
export function journalEntryToLine(
  entry: Record<string, unknown>,
  timeZone: 'local' | 'utc' | 'iso' = 'local',
): string | null {
  const message = fieldText(entry['MESSAGE']);
  const realtime = fieldText(entry['__REALTIME_TIMESTAMP']);
  if (message === undefined || realtime === undefined || !/^\d{1,20}$/.test(realtime)) return null;
  const ms = Number(BigInt(realtime) / 1000n);
  const host = fieldText(entry['_HOSTNAME']) ?? 'localhost';
  const ident = fieldText(entry['SYSLOG_IDENTIFIER']) ?? fieldText(entry['_COMM']) ?? 'unknown';
  const pid = fieldText(entry['SYSLOG_PID']) ?? fieldText(entry['_PID']);
  // SYSLOG_IDENTIFIER is chosen by the logging process: `logger -t 'sshd[1]: Failed password
  // for root from 10.0.0.1 port 22 ssh2 #'` must not become a forged sshd line. Characters that
  // delimit the tag are replaced so the identifier stays one token.
  const safeIdent = escapeControlChars(ident).replace(/[\s[\]:]/g, '_') || 'unknown';
  const tag = pid !== undefined && /^\d{1,10}$/.test(pid) ? `${safeIdent}[${pid}]` : safeIdent;
  const safeHost = escapeControlChars(host).replace(/\s/g, '_') || 'localhost';
  // `iso`: rsyslog's RFC 3339 stamp, exact to the millisecond and with its year (an export read later).
  const stamp = timeZone === 'iso' ? new Date(ms).toISOString() : syslogTimestamp(ms, timeZone);
  return `${stamp} ${safeHost} ${tag}: ${escapeControlChars(message)}`;
}
