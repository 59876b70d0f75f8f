import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { digitsAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * FreeSWITCH's SIP refusals (mod_sofia), each ending with the address FreeSWITCH saw, after
 * the user and domain the client sent: `SIP auth failure (INVITE) on sofia profile 'P' for
 * [USER@DOMAIN] from ip ADDR`, `Can't find user [USER@DOMAIN] from ADDR`; a REGISTER refused
 * by the register ACL names the address first: `IP ADDR Rejected by register acl`. The line
 * ends at the address, so one planted in the user's words is never the one read. An auth
 * challenge is the normal first answer to every call, and not a failure.
 */
const AUTH_FAILURE = /^SIP auth failure \(([A-Z]+)\) on sofia profile '[^']*' for \[(.*)\] from ip (\S+)$/;
const NO_USER = /^Can't find user \[(.*)\] from (\S+)$/;
const ACL = /^IP (\S+) Rejected by register acl/;

/** `[LEVEL] file.c:N ` or `[LEVEL] [MODULE] [file.c:N] ` before the message; its end, or -1. */
function afterSource(msg: string): number {
  const m = /^(?:\d{1,3}\.\d\d% )?\[[A-Z]+\] (?:\[[A-Z_]+\] \[)?[\w.]+\.c:\d+\]? /.exec(msg);
  return m === null ? -1 : m[0].length;
}

function fill(ev: EcsEvent, text: string): void {
  ev['event.dataset'] = 'freeswitch';
  const at = afterSource(text);
  if (at < 0) return;
  const msg = text.slice(at).trimEnd();
  let user: string | undefined;
  let addr: string;
  let action: string;
  const a = AUTH_FAILURE.exec(msg);
  if (a !== null) {
    user = a[2];
    addr = a[3]!;
    action = 'sip_auth_failure';
    ev['leuko.sip.method'] = a[1]!;
  } else {
    const n = NO_USER.exec(msg);
    if (n !== null) {
      user = n[1];
      addr = n[2]!;
      action = 'sip_unknown_user';
    } else {
      const r = ACL.exec(msg);
      if (r === null) return;
      addr = r[1]!;
      action = 'sip_acl_reject';
    }
  }
  if (!setSource(ev, addr)) return;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = action;
  ev['event.outcome'] = 'failure';
  if (user !== undefined && user.length > 0) ev['user.name'] = user;
}

/** freeswitch through syslog (its console line, with its own time, as the message). */
export function createFreeswitchHandler(stream: Stream): ProgramHandler {
  return (env, ev) => {
    const head = freeswitchHead(env.msg, stream);
    fill(ev, head === null ? env.msg : env.msg.slice(head[1]));
    return true;
  };
}

/**
 * `YYYY-MM-DD hh:mm:ss.uuuuuu ` (or `MM-DD hh:mm:ss.uuuuuu `, year left out) at the start of a
 * FreeSWITCH log line: [time, where the rest starts].
 */
function freeswitchHead(line: string, stream: Stream): [number, number] | null {
  let i = 0;
  let y: number;
  if (line.charCodeAt(4) === 45) {
    y = digitsAt(line, 0, 4);
    i = 5;
  } else if (line.charCodeAt(2) === 45) y = -1;
  else return null;
  if (line.charCodeAt(i + 2) !== 45 || line.charCodeAt(i + 5) !== 32 || line.charCodeAt(i + 14) !== 46) return null;
  const mo = digitsAt(line, i, 2);
  const d = digitsAt(line, i + 3, 2);
  const h = digitsAt(line, i + 6, 2);
  const mi = digitsAt(line, i + 9, 2);
  const s = digitsAt(line, i + 12, 2);
  if (mo < 1 || mo > 12 || d < 1 || h < 0 || mi < 0 || s < 0) return null;
  let j = i + 15;
  while (line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
  if (j === i + 15 || line.charCodeAt(j) !== 32) return null;
  const us = digitsAt(line, i + 15, Math.min(3, j - i - 15));
  const time = y >= 1970 ? stream.local(y, mo - 1, d, h, mi, s, us) : stream.guessYear(mo - 1, d, h, mi, s, us);
  return Number.isFinite(time) ? [time, j + 1] : null;
}

/** A line of FreeSWITCH's own log (`freeswitch.log`); undefined when the line is not one. */
export function freeswitchLine(stream: Stream, line: string): ParsedLine | undefined {
  const head = freeswitchHead(line, stream);
  if (head === null || afterSource(line.slice(head[1])) < 0) return undefined;
  const ev = stream.event(line, head[0], 'freeswitch');
  fill(ev, line.slice(head[1]));
  return stream.done(ev, head[0]);
}
