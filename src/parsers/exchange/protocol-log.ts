import type { ParsedLine } from '../../core/event.js';
import { normalizeIp, setSource, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';

/**
 * Microsoft Exchange's protocol logs (CSV, one record a line, time `yyyy-MM-ddTHH:mm:ss.fffZ`):
 * SMTP receive (`date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,
 * event,data,context`: 9 fields) and IMAP4 / POP3 (`dateTime,sessionId,seqNumber,sIp,cIp,user,
 * duration,rqsize,rpsize,command,parameters,context,puid`: 13 fields). The client is the remote
 * endpoint column, found by counting fields with CSV quoting honoured; a record with another
 * number of fields is not read, so no quoted text (user name, context) can shift a column.
 */

/** The fields of a CSV line (`"` quoted, `""` inside quotes); undefined when a quote is left open. */
export function csvFields(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let text = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return undefined;
        text += line.slice(j, q);
        if (line.charCodeAt(q + 1) !== 34) {
          j = q + 1;
          break;
        }
        text += '"';
        j = q + 2;
      }
      out.push(text);
      if (j === line.length) return out;
      if (line.charCodeAt(j) !== 44) return undefined;
      i = j + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
    if (out.length > 32) return undefined;
  }
}

const POP3_COMMANDS = new Set(['user', 'pass', 'apop', 'auth']);

/**
 * A failed login of an Exchange protocol log (SMTP `535 5.7.3 Authentication unsuccessful`, IMAP4
 * and POP3 `AuthFailed:`); null when its client does not read as an address (dropped);
 * undefined for any other line (other records of these logs too).
 */
export function exchangeLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (line.charCodeAt(10) !== 84 || line.charCodeAt(23) !== 90 || line.charCodeAt(24) !== 44) return undefined;
  const smtp = line.includes(',535 ', 40);
  if (!smtp && !line.includes('AuthFailed:', 40)) return undefined;
  const f = csvFields(line);
  if (f === undefined) return undefined;
  let remote: string;
  let user: string | undefined;
  let action: string;
  if (smtp && f.length === 9 && f[6] === '>' && f[7]!.startsWith('535 ')) {
    // The SMTP log names no user on this record (the AUTH exchange is base64 before it).
    remote = f[5]!;
    action = 'smtp_login';
  } else if (f.length === 13 && f[11]!.includes('AuthFailed:')) {
    remote = f[4]!;
    user = f[5];
    // IMAP4 and POP3 write the same columns; the command tells them apart.
    action = POP3_COMMANDS.has(f[9]!.toLowerCase()) ? 'pop3_login' : 'imap_login';
  } else return undefined;
  const at = isoAt(f[0]!, 0, stream.local);
  if (at === undefined) return undefined;
  const ev = stream.event(line, at[0], 'exchange');
  const host = splitHostPort(remote, true);
  if (normalizeIp(host.host) === undefined || !setSource(ev, host.host, host.port)) return null;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = action;
  ev['event.outcome'] = 'failure';
  ev['event.reason'] = action === 'smtp_login' ? f[7]! : (/AuthFailed:\w+/.exec(f[11]!)?.[0] ?? 'AuthFailed');
  if (user !== undefined && user.length > 0) ev['user.name'] = user;
  return stream.done(ev, at[0]);
}
