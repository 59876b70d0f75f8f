import type { ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { type Stream, WEB_AUTH } from '../shared/stream.js';
import { javaLevelEnd } from '../shared/java-log.js';
import { isoAt } from '../shared/time.js';

/**
 * Zimbra's mailbox.log (and audit.log, same head): `2021-03-03 19:52:08,616 INFO  [thread]
 * [name=A;oip=ADDR;port=P;ua=AGENT;soapId=S;] SoapEngine - handler exception: authentication
 * failed for [USER], REASON`. The bracketed context is `key=value;` pairs: `oip` the client
 * (behind Zimbra's proxy), `ip` the peer when there is no proxy. `name` (the account tried) and
 * `ua` are the client's text and may come first, so a context naming the key twice keeps no
 * address, and the line is dropped.
 */
const FAILED = 'authentication failed for [';

/** Start of the value of the context key `key` (`[key=` or `;key=`); -1 absent, -2 named twice. */
function contextValue(line: string, key: string): number {
  let found = -1;
  let at = line.indexOf(`${key}=`);
  while (at >= 0) {
    const before = line.charCodeAt(at - 1);
    if (before === 91 || before === 59) {
      if (found >= 0) return -2;
      found = at + key.length + 1;
    }
    at = line.indexOf(`${key}=`, at + 1);
  }
  return found;
}

/** A failed login of Zimbra's mailbox or audit log; null when dropped; undefined for other lines. */
export function zimbraLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const sp = javaLevelEnd(line);
  if (sp < 0) return undefined;
  const failed = line.lastIndexOf(FAILED);
  if (failed < 0 || line.indexOf('] [', sp) < 0) return undefined;
  const at = isoAt(line, 0, stream.local);
  if (at === undefined || at[1] !== 23) return undefined;
  let start = contextValue(line, 'oip');
  if (start === -1) start = contextValue(line, 'ip');
  if (start < 0) return null;
  const end = line.indexOf(';', start);
  const ev = stream.event(line, at[0], 'zimbra');
  if (end < 0 || !setSource(ev, line.slice(start, end))) return null;
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = 'zimbra_login_failure';
  ev['event.outcome'] = 'failure';
  // `[USER], REASON`: the user is the client's text, the reason Zimbra's, after the last `], `.
  const userStart = failed + FAILED.length;
  const close = line.lastIndexOf('], ');
  if (close >= userStart) {
    const user = line.slice(userStart, close);
    if (user.length > 0) ev['user.name'] = user;
    ev['event.reason'] = line.slice(close + 3).replace(/;$/, '');
  }
  return stream.done(ev, at[0]);
}
