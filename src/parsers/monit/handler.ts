import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { type Stream, WEB_AUTH } from '../shared/stream.js';
import { digitsAt, monthAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Monit's web interface refusing a login: `HttpRequest: access denied -- client ADDR: REASON`
 * (ADDR maybe in brackets), or before 5.x `Warning: Client 'ADDR' supplied ... user 'U'
 * accessing monit httpd`. The address comes before the reason (the client's user name).
 * A request without credentials (no or a broken Authorization header, an empty user name) is
 * what every browser sends first: not a failed login.
 */
const DENIED = /^HttpRequest: access denied -- client \[?(\S+?)\]?: (.*)$/;
const OLD = /^Warning: Client '([^']+)' supplied (unknown user|wrong password for user) '(.*)' accessing monit httpd$/;
const FAILED_LOGIN = /^(?:empty password|unknown user '(.+)'|wrong password for user '(.*)')$/;

function fill(ev: EcsEvent, msg: string): void {
  ev['event.dataset'] = 'monit';
  let user: string | undefined;
  const d = DENIED.exec(msg);
  if (d !== null) {
    // The client of every refusal; only a user name or password tried makes it a failed login.
    if (!setSource(ev, d[1]!)) return;
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = 'http_access_denied';
    const f = FAILED_LOGIN.exec(d[2]!);
    if (f === null) return;
    user = f[1] ?? f[2];
  } else {
    const o = OLD.exec(msg);
    if (o === null || !setSource(ev, o[1]!)) return;
    user = o[3];
  }
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = 'http_auth_failure';
  ev['event.outcome'] = 'failure';
  if (user !== undefined && user.length > 0) ev['user.name'] = user;
}

/** monit through syslog. */
export function createMonitHandler(): ProgramHandler {
  return (env, ev) => {
    fill(ev, env.msg);
    return true;
  };
}

/** UTC offsets of the zone names monit writes in its own log (`[CEST Aug  6 10:14:52]`). */
const ZONES: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
};

/**
 * A line of monit's own log: `[ZONE Mmm dd hh:mm:ss] level : message`; undefined when the
 * line is not one. A zone outside the table is read as local time.
 */
export function monitLogLine(stream: Stream, line: string): ParsedLine | undefined {
  if (line.charCodeAt(0) !== 91) return undefined;
  const sp = line.indexOf(' ');
  if (sp < 2 || sp > 7) return undefined;
  const zone = line.slice(1, sp);
  const mo = monthAt(line, sp + 1);
  if (mo < 0) return undefined;
  let j = sp + 5;
  if (line.charCodeAt(j) === 32) j++;
  const dayLen = line.charCodeAt(j + 1) === 32 ? 1 : 2;
  const d = digitsAt(line, j, dayLen);
  j += dayLen + 1;
  const h = digitsAt(line, j, 2);
  const mi = digitsAt(line, j + 3, 2);
  const s = digitsAt(line, j + 6, 2);
  if (d < 1 || h < 0 || mi < 0 || s < 0 || line.charCodeAt(j + 8) !== 93) return undefined;
  const colon = line.indexOf(' : ', j + 9);
  if (colon < 0 || colon > j + 24) return undefined;
  const offset = ZONES[zone];
  let time = stream.guessYear(mo, d, h, mi, s, 0);
  // guessYear reads local time; a known zone moves it to that zone's clock.
  if (offset !== undefined) {
    const y = new Date(time).getUTCFullYear();
    time = Date.UTC(y, mo, d, h, mi, s) - offset * 60_000;
  }
  if (!Number.isFinite(time)) return undefined;
  const ev = stream.event(line, time, 'monit');
  fill(ev, line.slice(colon + 3));
  return stream.done(ev, time);
}
