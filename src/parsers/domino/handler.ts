import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { AUTHENTICATION, EMAIL, type Stream, TYPE_DENIED } from '../shared/stream.js';
import { digitsAt, isoAt } from '../shared/time.js';

/**
 * HCL (Lotus) Domino's server console log (console.log): `DATE TIME   TASK: MESSAGE`, the date
 * in the server's locale (`07-03-2005` day first with dashes, `03/07/2005` month first with
 * slashes, or ISO), sometimes behind `[PID:TID-TID] `. Read: the SMTP task's refused logins and
 * its policy refusals of a connection. The user name comes before the address: the address is
 * the line's end, or the bracket before the fixed words that end it.
 */
const IP = '[0-9A-Fa-f:.]+';
const AUTH_FAILED = new RegExp(
  String.raw`^SMTP Server(?::| \[[^\]]*\]) Authentication failed for user (.*) ; connecting host \[?(${IP})\]?$`,
);
const INTERNET_PASSWORD = new RegExp(
  String.raw`^smtp: (.*) \[(${IP})\] authentication failure using internet password$`,
);
const POLICY = new RegExp(
  String.raw`^SMTP Server(?::| \[[^\]]*\]) Connection from \[(${IP})\] rejected for policy reasons\.(?: (.*))?$`,
);

/** The date and time at `i`: [local time, end] or null. */
function stampAt(line: string, i: number, stream: Stream): [number, number] | null {
  const sep = line.charCodeAt(i + 2);
  if (line.charCodeAt(i + 4) === 45) {
    const iso = isoAt(line, i, stream.local);
    return iso === undefined || line.charCodeAt(i + 10) !== 32 ? null : [iso[0], iso[1]];
  }
  if ((sep !== 45 && sep !== 47) || line.charCodeAt(i + 5) !== sep || line.charCodeAt(i + 10) !== 32) return null;
  const a = digitsAt(line, i, 2);
  const b = digitsAt(line, i + 3, 2);
  const y = digitsAt(line, i + 6, 4);
  const h = digitsAt(line, i + 11, 2);
  const mi = digitsAt(line, i + 14, 2);
  const s = digitsAt(line, i + 17, 2);
  if (a < 1 || b < 1 || y < 0 || h < 0 || mi < 0 || s < 0) return null;
  if (line.charCodeAt(i + 13) !== 58 || line.charCodeAt(i + 16) !== 58) return null;
  const [d, mo] = sep === 45 ? [a, b] : [b, a];
  if (mo > 12) return null;
  let hour = h;
  let end = i + 19;
  // `11:07:20 PM` in a 12-hour locale.
  if (line.startsWith(' AM', end) || line.startsWith(' PM', end)) {
    hour = (h % 12) + (line.charCodeAt(end + 1) === 80 ? 12 : 0);
    end += 3;
  }
  const t = stream.local(y, mo - 1, d, hour, mi, s, 0);
  return Number.isFinite(t) ? [t, end] : null;
}

function fill(ev: EcsEvent, msg: string): boolean {
  const a = AUTH_FAILED.exec(msg) ?? INTERNET_PASSWORD.exec(msg);
  if (a !== null) {
    if (!setSource(ev, a[2]!)) return false;
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = 'smtp_auth_failure';
    ev['event.outcome'] = 'failure';
    if (a[1]!.length > 0) ev['user.name'] = a[1]!;
    return true;
  }
  const p = POLICY.exec(msg);
  if (p === null) return true;
  if (!setSource(ev, p[1]!)) return false;
  ev['event.category'] = EMAIL;
  ev['event.type'] = TYPE_DENIED;
  ev['event.action'] = 'smtp_reject';
  ev['event.outcome'] = 'failure';
  ev['leuko.smtp.permanent'] = true;
  if (p[2] !== undefined) ev['event.reason'] = p[2];
  return true;
}

/** A line of Domino's console log; null when its address does not read (dropped); undefined for any other line. */
export function dominoLine(stream: Stream, line: string): ParsedLine | null | undefined {
  let i = 0;
  if (line.charCodeAt(0) === 91) {
    i = line.indexOf('] ') + 2;
    if (i < 4 || i > 48) return undefined;
  }
  // A space after the date and after the time, before any date parsing (ISO syslog has a `T`).
  if (line.charCodeAt(i + 10) !== 32 || line.charCodeAt(i + 19) !== 32 || line.charCodeAt(i + 13) !== 58)
    return undefined;
  const stamp = stampAt(line, i, stream);
  if (stamp === null || !line.startsWith('  ', stamp[1])) return undefined;
  let j = stamp[1];
  while (line.charCodeAt(j) === 32) j++;
  const c = line.charCodeAt(j);
  if (!(c === 83 && line.startsWith('SMTP Server', j)) && !(c === 115 && line.startsWith('smtp: ', j)))
    return undefined;
  const ev = stream.event(line, stamp[0], 'domino');
  return fill(ev, line.slice(j)) ? stream.done(ev, stamp[0]) : null;
}
