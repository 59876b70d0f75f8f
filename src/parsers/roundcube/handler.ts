import type { EcsEvent } from '../../core/event.js';
import type { ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { WEB_AUTH } from '../shared/stream.js';
import { dayMonthYearTimeAt, type LocalTime } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Roundcube's failed logins, in its `errors` log or through syslog:
 *
 *   IMAP Error: Login failed for USER from IP. AUTHENTICATE PLAIN: ... in FILE on line N (POST URL)
 *   Failed login for USER from IP in session ID (error: 0)
 *   FAILED login for USER from IP
 *
 * USER is what the visitor typed and the URL is theirs too, so either can hold a fake
 * `from 6.6.6.6`. The address is the ` from IP` that roundcube's own text follows: the end,
 * `. WORD...: ` (the IMAP server's answer), ` in session `, or the `(X-Real-IP: ...)` note of a
 * proxied request. More than one such reading and the line is dropped rather than guessed.
 */
const LOGIN = /(?:^|: )(?:<[0-9a-z]{1,32}> )?(?:IMAP Error: Login failed|Failed login|FAILED login) for /;
const FROM = ' from ';
const AFTER = /^(?:\.?$|\. [A-Z][A-Z0-9 -]*: |\.? in session |\(X-)/;

export function fillRoundcube(msg: string, ev: EcsEvent): boolean {
  const login = LOGIN.exec(msg);
  if (login === null) return true;
  const userStart = login.index + login[0].length;
  let found: { at: number; ip: string } | undefined;
  for (let at = msg.indexOf(FROM, userStart); at >= 0; at = msg.indexOf(FROM, at + 1)) {
    const start = at + FROM.length;
    let end = start;
    while (end < msg.length && /[0-9A-Fa-f:.]/.test(msg[end]!)) end++;
    // An address token ends at a dot only when roundcube's own `. ` follows it.
    let token = msg.slice(start, end);
    if (token.endsWith('.')) {
      token = token.slice(0, -1);
      end--;
    }
    const ip = normalizeIp(token);
    if (ip === undefined || !AFTER.test(msg.slice(end))) continue;
    if (found !== undefined && found.ip !== ip) return false;
    found ??= { at, ip };
  }
  if (found === undefined) return true;
  ev['source.ip'] = found.ip;
  const user = msg.slice(userStart, found.at);
  if (user.length > 0) ev['user.name'] = user;
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = 'webmail_login';
  ev['event.outcome'] = 'failure';
  return true;
}

/** roundcube (syslog program `roundcube`): its failed logins. */
export function createRoundcubeHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'roundcube';
    return fillRoundcube(env.msg, ev);
  };
}

/** `[22-Jan-2013 22:28:21 +0200]: ` at the start of an `errors` log line: [time, message start]. */
export function roundcubeHead(line: string, local: LocalTime): [number, number] | null {
  if (line.charCodeAt(0) !== 91) return null;
  const f = dayMonthYearTimeAt(line, 1);
  if (f === null) return null;
  const [y, mo, d, h, mi, s] = f;
  let i = 21;
  let time: number;
  const z = /^ ([+-])(\d{2}):?(\d{2})\]/.exec(line.slice(i, i + 8));
  if (z !== null) {
    const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000 * (z[1] === '-' ? -1 : 1);
    time = Date.UTC(y, mo, d, h, mi, s) - offset;
    i += z[0].length;
  } else if (line.charCodeAt(i) === 93) {
    time = local(y, mo, d, h, mi, s, 0);
    i += 1;
  } else return null;
  if (!line.startsWith(': ', i) || !Number.isFinite(time)) return null;
  return [time, i + 2];
}

/** A roundcube `errors` log line as a `roundcube` event; undefined when the line is not one. */
export function roundcubeLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const head = roundcubeHead(line, stream.local);
  if (head === null) return undefined;
  const ev = stream.event(line, head[0], 'roundcube');
  if (!fillRoundcube(line.slice(head[1]).trimEnd(), ev)) return null;
  return stream.done(ev, head[0]);
}
