import ipaddr from 'ipaddr.js';
import type { ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import { type Stream, WEB_AUTH } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import { webLoginFailure } from './logins.js';

/**
 * Apache Guacamole's logins, from its web application's log:
 * `TIME [THREAD] WARN  o.a.g.r.auth.AuthenticationService - Authentication attempt from ADDR for
 * user "U" failed.` and `... INFO ... - User "U" successfully authenticated from ADDR.`. TIME is
 * Logback's time of day (the image's default pattern, read as today's) or an ISO date and time;
 * `docker compose logs` lead each line with `SERVICE  | `. Under Tomcat's java.util.logging a
 * record takes two lines, `apr 15, 2013 8:34:08 PM CLASS warn` then `WARNING: MESSAGE`.
 *
 * ADDR is the peer's address, or with an X-Forwarded-For header `[HEADER, PEER]`: Guacamole
 * writes the header as received (only checked to look like addresses) and then the TCP peer, the
 * only entry it saw itself. So the entries but the last are the client's text. When the peer is
 * a private or loopback address (a reverse proxy in front), the entry just before it, the one
 * that proxy appended, is the client; otherwise the peer itself is (the header was forged:
 * ignored). Never an entry further left. A list that does not read as addresses is dropped.
 */
const ATTEMPT = 'Authentication attempt from ';
const FOR_USER = ' for user "';
const FAILED = '" failed.';
const USER = 'User "';
const SUCCESS = '" successfully authenticated from ';
const JUL_WARNING = 'WARNING: ';

/** Ranges a reverse proxy in front of Guacamole sits in (Tomcat RemoteIpValve's internal proxies). */
const INTERNAL = new Set(['private', 'loopback', 'linkLocal', 'uniqueLocal', 'carrierGradeNat']);

function isInternal(ip: string): boolean {
  try {
    return INTERNAL.has(ipaddr.parse(ip).range());
  } catch {
    return false;
  }
}

/** The client of `ADDR` or `[HEADER, PEER]` (see above); undefined when it does not read. */
export function guacamoleClient(text: string): string | undefined {
  if (text.charCodeAt(0) !== 91) return normalizeIp(text);
  if (text.charCodeAt(text.length - 1) !== 93) return undefined;
  const entries = text.slice(1, -1).split(', ');
  const ips = entries.map((e) => normalizeIp(e));
  if (ips.length < 2 || ips.some((ip) => ip === undefined)) return undefined;
  const peer = ips[ips.length - 1]!;
  return isInternal(peer) ? ips[ips.length - 2] : peer;
}

/** Where the text after a `docker compose logs` prefix (`SERVICE  | `) starts; 0 without one. */
export function afterComposePrefix(line: string): number {
  const sp = line.indexOf(' ');
  if (sp < 1 || sp > 64) return 0;
  let i = sp;
  while (line.charCodeAt(i) === 32) i++;
  return line.charCodeAt(i) === 124 && line.charCodeAt(i + 1) === 32 ? i + 2 : 0;
}

/** Logback's `HH:MM:SS.mmm` read as the latest such time not after the clock's now. */
function timeOfDay(text: string, stream: Stream): number | undefined {
  const m = /^(\d\d):(\d\d):(\d\d)[.,](\d{3})$/.exec(text);
  if (m === null) return undefined;
  const now = new Date(stream.ctx.clock.now());
  const at = (d: Date) =>
    stream.local(d.getFullYear(), d.getMonth(), d.getDate(), Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
  const t = at(now);
  return t > now.getTime() + 60_000 ? at(new Date(now.getTime() - 86_400_000)) : t;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** java.util.logging's record head: `apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn`. */
const JUL_HEAD = /^([A-Za-z]{3}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d\d):(\d\d) ([AP]M) \S+ \S+$/;

export interface GuacamoleReader {
  /** A Guacamole login record; null when its address does not read (dropped); undefined for any other line. */
  line(stream: Stream, line: string): ParsedLine | null | undefined;
}

/** One per stream: a java.util.logging record's time comes from its head line, the line before. */
export function createGuacamoleReader(): GuacamoleReader {
  let julTime: number | undefined;
  const record = (stream: Stream, line: string, msg: string, time: number | undefined) => {
    const failed = msg.startsWith(ATTEMPT);
    if (!failed && !msg.startsWith(USER)) return undefined;
    let addr: string;
    let user: string;
    if (failed) {
      // The address comes before the user name: the first ` for user "` ends it.
      const end = msg.indexOf(FOR_USER, ATTEMPT.length);
      if (end < 0 || !msg.endsWith(FAILED)) return undefined;
      addr = msg.slice(ATTEMPT.length, end);
      user = msg.slice(end + FOR_USER.length, -FAILED.length);
    } else {
      // The user name comes first: the last ` successfully authenticated from ` is Guacamole's.
      const at = msg.lastIndexOf(SUCCESS);
      if (at < USER.length || !msg.endsWith('.')) return undefined;
      addr = msg.slice(at + SUCCESS.length, -1);
      user = msg.slice(USER.length, at);
    }
    const t = time ?? stream.ctx.clock.now();
    const client = guacamoleClient(addr);
    if (client === undefined) return null;
    const ev = stream.event(line, t, 'guacamole');
    if (failed) webLoginFailure(ev, client, user);
    else {
      ev['source.ip'] = client;
      ev['event.category'] = WEB_AUTH;
      ev['event.action'] = 'web_login';
      ev['event.outcome'] = 'success';
      if (user.length > 0) ev['user.name'] = user;
    }
    return stream.done(ev, t);
  };
  return {
    line(stream, line) {
      const c = line.charCodeAt(0);
      if (c === 87 && line.startsWith(JUL_WARNING)) {
        const time = julTime;
        julTime = undefined;
        return record(stream, line, line.slice(JUL_WARNING.length), time);
      }
      if (c >= 97 && line.charCodeAt(3) === 32) {
        const h = JUL_HEAD.exec(line);
        if (h !== null) {
          const mo = MONTHS.indexOf(h[1]!.toLowerCase());
          const hour = (Number(h[4]) % 12) + (h[7] === 'PM' ? 12 : 0);
          const t = stream.local(Number(h[3]), mo, Number(h[2]), hour, Number(h[5]), Number(h[6]), 0);
          julTime = mo >= 0 && Number.isFinite(t) ? t : undefined;
        }
        return undefined;
      }
      const start = c >= 48 && c <= 57 ? 0 : afterComposePrefix(line);
      const d = line.charCodeAt(start);
      if (d < 48 || d > 57) return undefined;
      // `TIME [THREAD] LEVEL LOGGER - MESSAGE`, the time an ISO date and time or the time of day.
      let sp = line.indexOf(' ', start);
      if (sp === start + 10 && line.charCodeAt(start + 13) === 58) sp = line.indexOf(' ', sp + 1);
      if (sp < 0 || line.charCodeAt(sp + 1) !== 91) return undefined;
      const thread = line.indexOf('] ', sp + 2);
      if (thread < 0) return undefined;
      const level = line.startsWith('WARN ', thread + 2) || line.startsWith('INFO ', thread + 2);
      const dash = level ? line.indexOf(' - ', thread + 7) : -1;
      if (dash < 0 || !line.startsWith('.AuthenticationService', dash - 22)) return undefined;
      const stamp = line.slice(start, sp);
      const time = stamp.charCodeAt(2) === 58 ? timeOfDay(stamp, stream) : isoAt(stamp, 0, stream.local)?.[0];
      return record(stream, line, line.slice(dash + 3), time);
    },
  };
}
