import { digitsAt, fractionAt, type LocalTime } from '../shared/time.js';

/**
 * Timestamp of an Exim mainlog line at 0: `2022-06-29 16:04:05`, with `.123` under
 * `log_selector = +millisec` and ` +0200` under `log_timezone = true`, then ` [PID]` under
 * `+pid`. Returns [ms, message start] or null. Only the time: whether the message is Exim's
 * is `isEximMessage`'s question.
 */
export function eximHead(line: string, local: LocalTime): [number, number] | null {
  const y = digitsAt(line, 0, 4);
  if (y < 0 || line.charCodeAt(4) !== 45 || line.charCodeAt(7) !== 45 || line.charCodeAt(10) !== 32) return null;
  if (line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58) return null;
  const mo = digitsAt(line, 5, 2);
  const d = digitsAt(line, 8, 2);
  const h = digitsAt(line, 11, 2);
  const mi = digitsAt(line, 14, 2);
  const s = digitsAt(line, 17, 2);
  if (mo < 1 || d < 1 || h < 0 || mi < 0 || s < 0) return null;
  let i = 19;
  let ms = 0;
  if (line.charCodeAt(i) === 46) [ms, i] = fractionAt(line, i + 1);
  if (line.charCodeAt(i) !== 32) return null;
  let time: number;
  const sign = line.charCodeAt(i + 1);
  const off = sign === 43 || sign === 45 ? digitsAt(line, i + 2, 4) : -1;
  if (off >= 0 && line.charCodeAt(i + 6) === 32) {
    const offMs = (Math.floor(off / 100) * 60 + (off % 100)) * 60_000 * (sign === 43 ? 1 : -1);
    time = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offMs;
    i += 6;
  } else time = local(y, mo - 1, d, h, mi, s, ms);
  if (!Number.isFinite(time) || mo > 12 || h > 23) return null;
  i++;
  if (line.charCodeAt(i) === 91) {
    let k = i + 1;
    while (line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k++;
    if (k > i + 1 && line.charCodeAt(k) === 93 && line.charCodeAt(k + 1) === 32) i = k + 2;
  }
  return [time, i];
}

/** Exim's message id: `1ahr79-0006jK-G9`, or the 4.97+ form `1rE0d4-000000001Q3-0A0I`. */
const MESSAGE_ID = /^[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4} /;

/** Length of the message id and its space at `i` of `m`, or 0. */
export function messageIdAt(m: string, i: number): number {
  const c = m.charCodeAt(i);
  if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) || m.charCodeAt(i + 6) !== 45) return 0;
  const id = MESSAGE_ID.exec(m.slice(i, i + 24));
  return id === null ? 0 : id[0].length;
}

/**
 * Messages only Exim writes, for telling a mainlog line from other `YYYY-MM-DD HH:MM:SS` lines
 * (MySQL, application logs): a message id, a host (`H=`), an authenticator or an SMTP session
 * record in Exim's words. Checked on the first characters, so other lines fail fast.
 */
const EXIM_START =
  /^(?:H=|SMTP (?:call|connection|command|protocol|syntax|data timeout)|no (?:MAIL in SMTP connection|host name found for IP address|IP address found for host) |[\w-]+ authenticator failed for |(?:Start|End) queue run: |exim \d|SA: Action: )/;

/** `prog[pid]: `: an ISO-dated syslog line whose host name happens to look like a message id. */
const SYSLOG_PROGRAM = /^[^\s[]+\[\d+\]: /;

export function isEximMessage(line: string, start: number): boolean {
  const id = messageIdAt(line, start);
  if (id > 0) return !SYSLOG_PROGRAM.test(line.slice(start + id, start + id + 40));
  return EXIM_START.test(line.slice(start, start + 64));
}
