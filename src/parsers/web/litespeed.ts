import type { ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import { type Stream, WEB, WEB_AUTH } from '../shared/stream.js';
import { fractionAt, localDateTimeAt } from '../shared/time.js';

/**
 * LiteSpeed Web Server's error log (OpenLiteSpeed and LSWS Enterprise, `logs/error.log`):
 * `YYYY-MM-DD HH:MM:SS.ffffff [LEVEL] [PID] [CLIENT:PORT-CONN#VHOST] MESSAGE`, the connection
 * bracket written as `ADDR:PORT-N` (HTTP/1) or `ADDR:PORT:HTTP2-N` (a multiplexed stream). The
 * bracket is the server's own and comes before the message, so the client is taken there:
 * the user names and the WebAdmin console's `ip:` field, which come after it, never move it.
 * Read as refused logins: the WebAdmin console's (`Failed Login Attempt - username:U ip:A
 * url:P`) and an HTTP realm's (`User 'U' failed to authenticate.`).
 */
const LEVEL = /^[A-Z]{3,8}$/;
const CONN = /^(.+?):(\d{1,5})(?:-\d+|:[A-Z][A-Z0-9]{1,7}-\d+)?$/;
const ADMIN = /^(?:\[[A-Z]+\] )?\[WebAdmin Console\] Failed Login Attempt - username:(.*?) ip:\S* url:.*$/s;
const REALM = /^User '(.*)' failed to authenticate\.$/s;

/** A line of LiteSpeed's error log; undefined when the line is not one. */
export function litespeedErrorLine(stream: Stream, line: string): ParsedLine | undefined {
  if (line.charCodeAt(19) !== 46) return undefined;
  let time = localDateTimeAt(line, 45, stream.local);
  if (!Number.isFinite(time)) return undefined;
  const [ms, end] = fractionAt(line, 20);
  if (end === 20 || line.charCodeAt(end) !== 32 || line.charCodeAt(end + 1) !== 91) return undefined;
  time += ms;
  const lvEnd = line.indexOf('] [', end + 2);
  if (lvEnd < 0 || !LEVEL.test(line.slice(end + 2, lvEnd))) return undefined;
  const pidEnd = line.indexOf('] ', lvEnd + 3);
  if (pidEnd < 0 || !/^\d{1,10}$/.test(line.slice(lvEnd + 3, pidEnd))) return undefined;
  const ev = stream.event(line, time, 'litespeed.error');
  ev['log.level'] = line.slice(end + 2, lvEnd).toLowerCase();
  ev['event.category'] = WEB;
  let i = pidEnd + 2;
  let client: string | undefined;
  if (line.charCodeAt(i) === 91) {
    const close = line.indexOf('] ', i);
    const hash = line.indexOf('#', i);
    const spec = hash > i && hash < close ? line.slice(i + 1, hash) : '';
    const m = CONN.exec(spec);
    client = m === null ? undefined : normalizeIp(m[1]!);
    if (client !== undefined) {
      ev['source.ip'] = client;
      ev['source.port'] = Number(m![2]);
      i = close + 2;
    }
  }
  const msg = line.slice(i);
  const admin = ADMIN.exec(msg);
  const realm = admin === null ? REALM.exec(msg) : null;
  const hit = admin ?? realm;
  if (hit !== null && client !== undefined) {
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = admin !== null ? 'web_login_failure' : 'http_auth_failure';
    ev['event.outcome'] = 'failure';
    if (hit[1]!.length > 0) ev['user.name'] = hit[1]!;
  }
  return stream.done(ev, time);
}
