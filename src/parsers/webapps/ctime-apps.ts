import type { ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { type Stream, TYPE_ACCESS_DENIED, WEB } from '../shared/stream.js';
import { ctimeAt, type LocalTime } from '../shared/time.js';
import { webLoginFailure } from './logins.js';

/**
 * Web applications whose own log leads with C's `ctime()` stamp and ` - `: Open WebMail
 * (openwebmail.log) and Monitorix's built-in web server. Both write the client before anything
 * the client sent, so the address is read first and the rest never moves it.
 */

/** C's `ctime()` stamp then ` - `: [local time, text start]. */
function ctimeHead(line: string, local: LocalTime): [number, number] | null {
  const at = ctimeAt(line, local);
  return at !== null && line.startsWith(' - ', at[1]) ? [at[0], at[1] + 3] : null;
}

/**
 * Open WebMail: `[PID] (ADDR) USER - login error - auth_unix.pl, ret -4, Password incorrect`, `...
 * - login error - no such user - loginname=USER`, `... - userinfo error - auth_unix.pl, ret -4,
 * User USER doesn't exist`.
 */
const OPENWEBMAIL = /^\[\d+\] \(([^()\s]+)\) (.*?) - (?:login error - .*|userinfo error - .*doesn't exist)$/;
/** Monitorix: `OK - [ADDR] "GET ..."`, `NOTEXIST - [ADDR] File does not exist: PATH`, `NOTALLOWED`, `AUTHERR`. */
const MONITORIX = /^(OK|NOTEXIST|NOTALLOWED|AUTHERR) - \[([^\]\s]+)\] /;

/** A line of one of these logs; null when its address does not read (dropped); undefined for any other line. */
export function ctimeAppLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const head = ctimeHead(line, stream.local);
  if (head === null) return undefined;
  const [time, at] = head;
  const c = line.charCodeAt(at);
  if (c === 91) {
    const m = OPENWEBMAIL.exec(line.slice(at));
    if (m === null) return undefined;
    const ev = stream.event(line, time, 'openwebmail');
    return webLoginFailure(ev, m[1]!, m[2], true) ? stream.done(ev, time) : null;
  }
  const m = c >= 65 && c <= 90 ? MONITORIX.exec(line.slice(at)) : null;
  if (m === null) return undefined;
  const ev = stream.event(line, time, 'monitorix');
  const status = m[1]!;
  if (status === 'AUTHERR') return webLoginFailure(ev, m[2]!, undefined, true) ? stream.done(ev, time) : null;
  if (!setSource(ev, m[2]!)) return null;
  ev['event.category'] = WEB;
  if (status === 'OK') {
    ev['event.outcome'] = 'success';
  } else {
    ev['event.action'] = status === 'NOTEXIST' ? 'http_not_found' : 'http_access_denied';
    if (status === 'NOTALLOWED') ev['event.type'] = TYPE_ACCESS_DENIED;
    ev['event.outcome'] = 'failure';
  }
  return stream.done(ev, time);
}
