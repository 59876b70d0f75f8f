import type { ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { DATABASE_AUTH, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';

/**
 * Microsoft SQL Server's ERRORLOG: `2020-02-24 16:05:21.00 Logon       Login failed for user 'U'.
 * Reason: ... [CLIENT: ADDR]`, the source column (`Logon`) right after the time. The user name
 * is the client's text (quotes, `[CLIENT: ...]`): the address is the bracket that ends the line.
 * A local client (`[CLIENT: <local machine>]`) has no address: a plain event.
 */
const LOGON =
  /^Login (failed|succeeded) for user '(.*)'\. (?:Reason: .*|Connection made using .*) \[CLIENT: ([0-9A-Fa-f:.]+)\]$/;

/** A line of the ERRORLOG's Logon source; undefined for any other line. */
export function mssqlLine(stream: Stream, line: string): ParsedLine | undefined {
  if (line.charCodeAt(19) !== 46 || line.charCodeAt(10) !== 32) return undefined;
  const sp = line.indexOf(' ', 20);
  if (sp < 21 || sp > 27 || !line.startsWith(' Logon ', sp)) return undefined;
  const at = isoAt(line, 0, stream.local);
  if (at === undefined || at[1] !== sp) return undefined;
  let i = sp + 7;
  while (line.charCodeAt(i) === 32) i++;
  const ev = stream.event(line, at[0], 'mssql');
  const m = LOGON.exec(line.slice(i));
  if (m !== null && setSource(ev, m[3]!)) {
    const ok = m[1] === 'succeeded';
    ev['event.category'] = DATABASE_AUTH;
    ev['event.action'] = ok ? 'db_login' : 'db_auth_failure';
    ev['event.outcome'] = ok ? 'success' : 'failure';
    if (m[2]!.length > 0) ev['user.name'] = m[2]!;
  }
  return stream.done(ev, at[0]);
}
