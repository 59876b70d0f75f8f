import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp, setSource, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { digitsAt, isoAt, monthAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { fillRequest } from '../web/access.js';
import { webLoginFailure } from './logins.js';

/**
 * Failed logins of hosting software, from their own logs: Gotify (its GIN request log), cPanel
 * (login_log) and Pterodactyl Wings (SFTP). Each is recognized by fixed words at fixed places
 * first (`auto` tries these on lines of every log); the address comes before anything the client
 * typed (the user name, the path). Gotify and Wings also through syslog or the journal.
 */

/** The time read, else the clock's (a line whose time does not read still counts). */
const orNow = (stream: Stream, t: number | undefined): number =>
  t === undefined || !Number.isFinite(t) ? stream.ctx.clock.now() : t;

/**
 * Gin's request log as Gotify writes it:
 * `[GIN] 2022/02/07 - 10:49:33 | 401 |     505.317µs |       ADDR | POST     "/client"`.
 * The client is before the quoted path; it is the address Gin resolved (a forwarded header only
 * from the proxies Gotify's `trustedproxies` names), taken only when it reads as one address.
 * Gotify's log-ins (a token asked for with the password, `POST /client`, and the web UI's
 * `GET /current/user`) answered 401 are failed logins.
 */
const GIN =
  /^\[GIN\] (\d{4})\/(\d\d)\/(\d\d) - (\d\d):(\d\d):(\d\d) \| (\d{3}) \| +\S+ \| +([0-9A-Fa-f:.]+) \| ([A-Z]+) +"(.*)"$/;
const GOTIFY_LOGINS = new Set(['POST /client', 'GET /current/user']);

/** The fields of a refused Gotify log-in into `ev`; false when its address does not read. */
function fillGotify(ev: EcsEvent, m: RegExpExecArray): boolean {
  ev['event.dataset'] = 'gotify';
  if (!webLoginFailure(ev, m[8]!, undefined, true)) return false;
  ev['http.request.method'] = m[9]!;
  ev['url.path'] = m[10]!;
  ev['http.response.status_code'] = 401;
  return true;
}

/** `msg` as a refused Gotify log-in, or undefined. */
function gotifyMatch(msg: string): RegExpExecArray | undefined {
  if (!msg.startsWith('[GIN] ') || !msg.includes(' | 401 | ', 26)) return undefined;
  const m = GIN.exec(msg);
  return m !== null && m[7] === '401' && GOTIFY_LOGINS.has(`${m[9]} ${m[10]}`) ? m : undefined;
}

/** A refused Gotify log-in; null when its address does not read (dropped); undefined for other lines. */
export function gotifyLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const m = gotifyMatch(line);
  if (m === undefined) return undefined;
  const n = (k: number) => Number(m[k]);
  const time = orNow(stream, stream.local(n(1), n(2) - 1, n(3), n(4), n(5), n(6), 0));
  const ev = stream.event(line, time, 'gotify');
  return fillGotify(ev, m) ? stream.done(ev, time) : null;
}

/** Gotify through syslog or the journal (`gotify[pid]: [GIN] ...`): its other lines stay plain events. */
export function createGotifyHandler(): ProgramHandler {
  return (env, ev) => {
    const m = gotifyMatch(env.msg);
    return m === undefined || fillGotify(ev, m);
  };
}

/**
 * cPanel's login_log: `[2021-06-10 12:07:01 +0000] info [cpaneld] ADDR - USER "POST /login/?login_only=1
 * HTTP/1.1" FAILED LOGIN cpaneld: REASON` (whostmgrd and webmaild too). The address comes before
 * the user name; the reason is cPanel's (`brute force attempt (user U) has locked out IP ADDR`
 * when cPHulk blocks the address).
 */
const CPANEL =
  /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) ([+-]\d{4})\] \w+ \[(\w+)\] ([0-9A-Fa-f:.]+) - (.*?) "([^"]*)" FAILED LOGIN \w+: (.*)$/;

const CPHULK_LOCKOUT = /^brute force attempt \(user .*\) has locked out IP (\S+)$/;

/** A cPanel failed login; null when its address does not read (dropped); undefined for other lines. */
export function cpanelLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (line.charCodeAt(26) !== 93 || !line.includes('" FAILED LOGIN ', 40)) return undefined;
  const m = CPANEL.exec(line);
  if (m === null) return undefined;
  const time = orNow(stream, isoAt(`${m[1]}${m[2]}`, 0, stream.local)?.[0]);
  const ev = stream.event(line, time, 'cpanel');
  const user = m[5] === '-' ? undefined : m[5];
  if (!webLoginFailure(ev, m[4]!, user, true)) return null;
  ev['service.name'] = m[3]!;
  fillRequest(ev, m[6]!);
  const reason = m[7]!;
  ev['event.reason'] = reason;
  // cPHulk's verdict on this very address: its own limiter has counted enough failures. The
  // address it names must be the record's, which comes before anything the client wrote.
  const lock = CPHULK_LOCKOUT.exec(reason);
  if (lock !== null && normalizeIp(lock[1]!) === ev['source.ip']) ev['event.action'] = 'auth_rate_limited';
  return stream.done(ev, time);
}

/**
 * Pterodactyl Wings' SFTP server: `WARN: [Jul  2 05:05:24.643] failed to validate user credentials
 * (REASON) ip=ADDR:PORT subsystem=sftp username=U`. Its fields are sorted by key, so the address
 * comes before the user name, which runs to the line's end.
 */
const WINGS =
  /^ ?WARN: \[([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?\] failed to validate user credentials \(([^)]*)\) ip=(\S+) subsystem=sftp username=(.*)$/;

/** `msg` as a refused Wings SFTP log-in, or undefined. */
function wingsMatch(msg: string): RegExpExecArray | undefined {
  const w = msg.charCodeAt(0) === 32 ? 1 : 0;
  if (!msg.startsWith('WARN: [', w) || !msg.includes('] failed to validate user credentials (', 20)) return undefined;
  return WINGS.exec(msg) ?? undefined;
}

/** The fields of a refused Wings SFTP log-in into `ev`; false when its address does not read. */
function fillWings(ev: EcsEvent, m: RegExpExecArray): boolean {
  ev['event.dataset'] = 'pterodactyl-wings';
  const host = splitHostPort(m[8]!, true);
  if (normalizeIp(host.host) === undefined || !setSource(ev, host.host, host.port)) return false;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'sftp_login';
  ev['event.outcome'] = 'failure';
  ev['event.reason'] = m[7]!;
  if (m[9]!.length > 0) ev['user.name'] = m[9]!;
  return true;
}

/** A refused Wings SFTP log-in; null when its address does not read (dropped); undefined for other lines. */
export function wingsLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const m = wingsMatch(line);
  if (m === undefined) return undefined;
  const mo = monthAt(m[1]!, 0);
  const d = Number(m[2]!.trim());
  const ms = m[6] === undefined ? 0 : digitsAt(m[6], 0, 3);
  const t = mo < 0 ? undefined : stream.guessYear(mo, d, Number(m[3]), Number(m[4]), Number(m[5]), ms);
  const time = orNow(stream, t);
  const ev = stream.event(line, time, 'pterodactyl-wings');
  return fillWings(ev, m) ? stream.done(ev, time) : null;
}

/** Wings through syslog or the journal (`wings[pid]: WARN: [...] ...`): its other lines stay plain events. */
export function createWingsHandler(): ProgramHandler {
  return (env, ev) => {
    const m = wingsMatch(env.msg);
    return m === undefined || fillWings(ev, m);
  };
}
