import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp, toPort } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, type Stream } from '../shared/stream.js';
import { digitsAt, localDateTimeAt, utcTime } from '../shared/time.js';

/**
 * Axigen's own log (`/var/opt/axigen/log/everything.txt` and the per-service files):
 *
 *   2026-01-15 10:00:00 +0000 08 mail.example.org IMAP:00A1: [192.0.2.10:993] connection accepted from [198.51.100.10:50000]
 *   2026-01-15 10:00:01 +0000 08 mail.example.org IMAP:00A1: Authentication error for user 'alice@example.org': invalid credentials
 *   2026-01-15 10:00:09 +0000 08 mail.example.org WEBMAIL:00B2: Remote address updated from '192.0.2.254' to '198.51.100.40'
 *   2026-01-15 10:00:10 +0000 08 mail.example.org WEBMAIL:00B2: <> POST /api/v1/login/cookie HTTP/1.1 u= code=401 time=100
 *
 * time, zone, level, host, `SERVICE:SESSION:`, message. A session names its client once, when
 * Axigen accepts the connection (or when it takes the client from a trusted proxy: `Remote
 * address updated`, accepted only from the address the session had), so its later records
 * (failed logins, WebMail logins) take the address the reader remembers for the session. The
 * user names, the EHLO name and the WebMail request are the client's text: no address is read
 * from them, and an SPF record that could name the client twice names none.
 */
export const AXIGEN_DATASET = 'axigen';

/** Sessions remembered per stream for their later records. */
const MAX_SESSIONS = 20_000;

const ACCEPTED = /^\[[^\]]+\] connection accepted from \[(.+)\]$/;
const UPDATED = /^Remote address updated from '([^']+)' to '([^']+)'$/;
const AUTH_ERROR = /^Authentication error for user '(.*)': (.*)$/;
const AUTH_OK = /^User \[(.*)\] successfully authorized!$/;
const WEBMAIL_LOGIN = '> POST /api/v1/login/cookie HTTP/';
/** The record's end, after the user name (the client's text): the status Axigen answered. */
const WEBMAIL_END = /^ code=(\d{3}) time=\d+$/;
const SPF = / connected from <([^<>]+)>: (\w+)$/;
const TLS_ALERT = /^SSL alert remote (\S+), (.*)$/;
const CLOSED = /^(?:closing session|Closing connection) from \[(.+)\]$/;

/** `IP:PORT` or `IP` (the port after the last colon when the rest is an address). */
function hostPort(text: string): { ip: string; port: number | undefined } | undefined {
  const whole = normalizeIp(text);
  if (whole !== undefined) return { ip: whole, port: undefined };
  const colon = text.lastIndexOf(':');
  if (colon < 1) return undefined;
  const ip = normalizeIp(text.slice(0, colon));
  return ip === undefined ? undefined : { ip, port: toPort(text.slice(colon + 1)) };
}

/**
 * `<SESSION> POST /api/v1/login/cookie HTTP/1.1 u=USER code=401 time=100`: the status from the
 * record's end, the user between the request's `u=` and that end; null when it is not one.
 */
function webmailLogin(msg: string): { user: string; code: number } | null {
  const req = msg.indexOf(WEBMAIL_LOGIN);
  if (req < 0) return null;
  const u = msg.indexOf(' u=', req + WEBMAIL_LOGIN.length);
  const end = msg.lastIndexOf(' code=');
  if (u < 0 || end < u) return null;
  const tail = WEBMAIL_END.exec(msg.slice(end));
  return tail === null ? null : { user: msg.slice(u + 3, end), code: Number(tail[1]) };
}

export interface AxigenReader {
  line(stream: Stream, line: string): ParsedLine | undefined;
}

/** One per stream: the sessions' clients live as long as the stream. */
export function createAxigenReader(): AxigenReader {
  const sessions = new Map<string, string>();
  const remember = (key: string, ip: string) => {
    sessions.delete(key);
    sessions.set(key, ip);
    if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
  };
  const failure = (ev: EcsEvent, action: string) => {
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = action;
    ev['event.outcome'] = 'failure';
  };
  return {
    line(stream, line) {
      // `YYYY-MM-DD HH:MM:SS +ZZZZ LL ` before the host: fixed places.
      if (line.charCodeAt(19) !== 32 || line.charCodeAt(25) !== 32 || line.charCodeAt(28) !== 32) return undefined;
      const sign = line.charCodeAt(20);
      if (sign !== 43 && sign !== 45) return undefined;
      const zone = digitsAt(line, 21, 4);
      if (zone < 0 || digitsAt(line, 26, 2) < 0) return undefined;
      const offset = (sign === 45 ? -1 : 1) * (Math.floor(zone / 100) * 60 + (zone % 100)) * 60_000;
      const time = localDateTimeAt(line, 45, utcTime) - offset;
      if (!Number.isFinite(time)) return undefined;
      // Host, then `SERVICE:SESSION: `.
      const hostEnd = line.indexOf(' ', 29);
      if (hostEnd < 30) return undefined;
      const tagEnd = line.indexOf(': ', hostEnd + 1);
      if (tagEnd < 0) return undefined;
      const tag = line.slice(hostEnd + 1, tagEnd);
      const colon = tag.indexOf(':');
      if (colon < 1 || colon === tag.length - 1 || tag.includes(' ')) return undefined;
      const service = tag.slice(0, colon);
      if (!/^[A-Z][A-Z0-9-]*$/.test(service)) return undefined;
      const msg = line.slice(tagEnd + 2);
      const ev = stream.event(line, time, AXIGEN_DATASET, line.slice(29, hostEnd));
      ev['log.level'] = line.slice(26, 28);
      ev['service.type'] = service.toLowerCase();
      ev['leuko.axigen.session'] = tag;
      const known = sessions.get(tag);
      const setClient = (ip: string, port?: number) => {
        ev['source.ip'] = ip;
        if (port !== undefined) ev['source.port'] = port;
      };
      const c0 = msg.charCodeAt(0);
      const accepted = c0 === 91 ? ACCEPTED.exec(msg) : null;
      if (accepted !== null) {
        const peer = hostPort(accepted[1]!);
        if (peer !== undefined) {
          remember(tag, peer.ip);
          setClient(peer.ip, peer.port);
          ev['event.category'] = NETWORK;
          ev['event.action'] = 'axigen_connection_accepted';
        }
        return stream.done(ev, time);
      }
      const auth = c0 === 65 ? AUTH_ERROR.exec(msg) : null;
      if (auth !== null) {
        failure(ev, 'mail_auth_failure');
        ev['user.name'] = auth[1]!;
        ev['event.reason'] = auth[2]!;
        if (known !== undefined) setClient(known);
        return stream.done(ev, time);
      }
      const login = c0 === 60 ? webmailLogin(msg) : null;
      if (login !== null) {
        const code = login.code;
        ev['http.response.status_code'] = code;
        if (login.user !== '') ev['user.name'] = login.user;
        if (code === 200) {
          ev['event.category'] = AUTHENTICATION;
          ev['event.action'] = 'webmail_login';
          ev['event.outcome'] = 'success';
        } else if (code === 401 || code === 403) failure(ev, 'webmail_auth_failure');
        if (known !== undefined) setClient(known);
        return stream.done(ev, time);
      }
      const ok = c0 === 85 ? AUTH_OK.exec(msg) : null;
      if (ok !== null) {
        ev['event.category'] = AUTHENTICATION;
        ev['event.action'] = 'mail_login';
        ev['event.outcome'] = 'success';
        ev['user.name'] = ok[1]!;
        if (known !== undefined) setClient(known);
        return stream.done(ev, time);
      }
      const updated = c0 === 82 ? UPDATED.exec(msg) : null;
      if (updated !== null) {
        // The client a trusted proxy named, taken only for the session whose peer that proxy is.
        const from = normalizeIp(updated[1]!);
        const to = normalizeIp(updated[2]!);
        if (from !== undefined && to !== undefined && known === from) {
          remember(tag, to);
          setClient(to);
          ev['event.category'] = NETWORK;
          ev['event.action'] = 'axigen_client_forwarded';
        } else sessions.delete(tag);
        return stream.done(ev, time);
      }
      if (c0 === 83 && msg.startsWith('SPF result for EHLO domain <')) {
        // `<EHLO name> connected from <IP>: RESULT`: the name is the client's, so the address is
        // read only when the record names one client.
        const spf = SPF.exec(msg);
        if (spf !== null && msg.indexOf(' connected from <') === msg.lastIndexOf(' connected from <')) {
          const ip = normalizeIp(spf[1]!);
          const nameEnd = msg.lastIndexOf('> connected from <');
          if (ip !== undefined && (known === undefined || known === ip)) {
            setClient(ip);
            ev['event.category'] = NETWORK;
            ev['event.action'] = 'smtp_helo';
            ev['leuko.smtp.helo'] = msg.slice('SPF result for EHLO domain <'.length, nameEnd);
            ev['leuko.smtp.spf'] = spf[2]!;
          }
        }
        return stream.done(ev, time);
      }
      const tls = c0 === 83 ? TLS_ALERT.exec(msg) : null;
      if (tls !== null) {
        const peer = hostPort(tls[1]!);
        if (peer !== undefined) {
          setClient(peer.ip, peer.port);
          ev['event.category'] = NETWORK;
          ev['event.action'] = 'tls_handshake_failure';
          ev['event.reason'] = tls[2]!;
        }
        return stream.done(ev, time);
      }
      const closed = CLOSED.exec(msg);
      if (closed !== null) {
        const peer = hostPort(closed[1]!);
        if (peer !== undefined) setClient(peer.ip, peer.port);
        ev['event.category'] = NETWORK;
        ev['event.action'] = 'axigen_session_closed';
        sessions.delete(tag);
        return stream.done(ev, time);
      }
      return stream.done(ev, time);
    },
  };
}
