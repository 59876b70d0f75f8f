import type { ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { type Stream, TYPE_ACCESS, TYPE_ACCESS_DENIED, WEB } from '../shared/stream.js';
import { digitsAt } from '../shared/time.js';

/**
 * Squid's native access.log: `EPOCH.MS ELAPSED CLIENT CODE/STATUS BYTES METHOD URL USER
 * HIERARCHY/PEER TYPE`, the elapsed time right-aligned in a padded column. The client is the
 * third field, written by Squid before anything the client sends (method, URL, user name), so
 * a URL that holds an address cannot stand in for it; with `log_fqdn on` it is a host name.
 *
 * A request the proxy refuses (`TCP_DENIED/403`, an ACL; `NONE/405`, a method or CONNECT port
 * it does not allow) is a failure: open proxies are hunted by sending exactly these. A 407 is
 * the first step of proxy authentication and stays a plain access.
 */
const LINE = /^\d{9,10}\.\d{3} +\d+ (\S+) ([A-Z_]+)\/(\d{3}) \d+ (\S+) (\S+) (\S+) (\S+)\/\S+ \S+$/;

/** A line of Squid's access.log; undefined when the line is not one, null when its client does not read. */
export function squidAccessLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const dot = line.indexOf('.');
  if (dot < 9 || dot > 10 || line.charCodeAt(dot + 4) !== 32 || digitsAt(line, dot + 1, 3) < 0) return undefined;
  const m = LINE.exec(line);
  if (m === null) return undefined;
  const time = Number(line.slice(0, dot)) * 1000 + digitsAt(line, dot + 1, 3);
  const ev = stream.event(line, time, 'squid.access');
  if (!setSource(ev, m[1]!)) return null;
  const code = m[2]!;
  const status = Number(m[3]);
  const denied = (code.endsWith('_DENIED') && status === 403) || (code === 'NONE' && status === 405);
  ev['event.category'] = WEB;
  ev['event.type'] = denied ? TYPE_ACCESS_DENIED : TYPE_ACCESS;
  ev['event.action'] = denied ? 'proxy_denied' : 'proxy_request';
  if (denied) ev['event.outcome'] = 'failure';
  ev['leuko.squid.result'] = code;
  ev['http.response.status_code'] = status;
  ev['http.request.method'] = m[4]!;
  ev['url.original'] = m[5]!;
  if (m[6] !== '-') ev['user.name'] = m[6]!;
  ev['observer.type'] = 'proxy';
  ev['observer.product'] = 'Squid';
  return stream.done(ev, time);
}
