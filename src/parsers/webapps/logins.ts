import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp, setSource, splitHostPort } from '../shared/address.js';
import { type Stream, WEB_AUTH } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { parseLogfmt } from './logfmt.js';

/**
 * Failed logins of self-hosted web applications, from their own logs, each with the client
 * the application saw: GitLab (`application.log`), Grafana (logfmt), Bitwarden and
 * Vaultwarden. Each form puts the address where the user's own text cannot reach it: last on
 * the line after a fixed word, or first, or in its own logfmt key.
 */

/**
 * A web application's refused login into `ev`: the client (`ADDR`, `ADDR:PORT` or `[ADDR]:PORT`,
 * a host name too unless `addressOnly`), WEB_AUTH, `web_login_failure` and the name tried.
 * false, and `ev` untouched, when the client text is none: the caller drops the line or keeps it
 * a plain event.
 */
export function webLoginFailure(ev: EcsEvent, addr: string, user: string | undefined, addressOnly = false): boolean {
  const host = splitHostPort(addr).host;
  if ((addressOnly && normalizeIp(host) === undefined) || !setSource(ev, host)) return false;
  ev['event.category'] = WEB_AUTH;
  ev['event.action'] = 'web_login_failure';
  ev['event.outcome'] = 'failure';
  if (user !== undefined && user.length > 0) ev['user.name'] = user;
  return true;
}

/** GitLab: `2020-04-09T14:04:00.667Z: Failed Login: username=U ip=ADDR`. */
const GITLAB = /^: Failed Login: username=(.*) ip=(\S+)$/;
/** Bitwarden (.NET): `2019-11-26 01:04:49.008 +08:00 [WRN] Failed login attempt. ADDR`. */
const BITWARDEN_MSG = /^(?:\[[\w.]+\] )?Failed login attempt(?:, 2FA invalid)?\. (\S+)$/;
/** Ombi (.NET, the same Serilog head): `2022-02-11 14:07:54.110 +02:00 [Warning] Failed login attempt by IP: ADDR`. */
const OMBI_MSG = /^Failed login attempt by IP: (\S+)$/;
const BITWARDEN =
  /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) ([+-]\d\d:\d\d) \[(?:WRN|Warning|ERR|Error|INF|Information)\] (.*)$/;
/** Vaultwarden: `[2023-01-01 12:00:00.000][vaultwarden::api::identity][ERROR] Username or password is incorrect. Try again. IP: ADDR. Username: U.` */
const VAULTWARDEN =
  /^\[(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d|Z)?)\]\[vaultwarden::api::identity\]\[ERROR\] Username or password is incorrect\. Try again\. IP: ([^\s]+?)\. Username: (.*?)\.?$/;
/**
 * Vaultwarden's other refusals, the address last after fixed words: its admin page's token
 * (`[vaultwarden::api::admin][ERROR] Invalid admin token. IP: ADDR`) and a wrong second factor
 * (`[vaultwarden::api::core::two_factor::authenticator][ERROR] Invalid TOTP code! Server time: ... IP: ADDR`).
 */
const VAULTWARDEN_OTHER =
  /^\[(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:?\d\d|Z)?)\]\[vaultwarden::api::(?:admin\]\[ERROR\] Invalid admin token\.|core::two_factor::\w+\]\[ERROR\] Invalid TOTP code! Server time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC) IP: ([0-9A-Fa-f:.]+)$/;
/** Grafana's messages for a refused login. */
const GRAFANA_FAILED = new Set(['Invalid username or password', 'Failed to authenticate request', 'Failed to login']);

/**
 * The fields of a Grafana logfmt record that refused a login; undefined for any other line.
 * Grafana 10 writes a refused password as `msg=Unauthorized` with the login client's error
 * (`[password-auth.failed] ...`); other `Unauthorized` records (an API key, a session) are not logins.
 */
function grafanaRefusal(text: string): Map<string, string> | undefined {
  const f = parseLogfmt(text);
  const msg = f?.get('msg');
  if (msg === undefined || !f!.has('remote_addr')) return undefined;
  return isGrafanaRefusal(msg, f!.get('error')) ? f : undefined;
}

/** Whether a Grafana record's `msg` and `error` (logfmt or JSON) mean a refused login. */
export function isGrafanaRefusal(msg: string, error: unknown): boolean {
  if (GRAFANA_FAILED.has(msg)) return true;
  return msg === 'Unauthorized' && typeof error === 'string' && error.startsWith('[password-auth.failed] ');
}

/** A refusal's fields into `ev`; false when its address is none. */
function grafanaFailure(ev: EcsEvent, f: Map<string, string>): boolean {
  if (!webLoginFailure(ev, f.get('remote_addr')!, f.get('uname'))) return false;
  const error = f.get('error');
  if (error !== undefined) ev['event.reason'] = error;
  return true;
}

/**
 * Miniflux (Go's slog text): `time=... level=WARN msg="Incorrect username or password"
 * authentication_failed=true client_ip=ADDR ... username=U`. Behind `docker compose logs`, auto
 * hands over the line without its `SERVICE  | `.
 */
function minifluxLine(stream: Stream, line: string): ParsedLine | undefined {
  if (!line.includes(' authentication_failed=true ')) return undefined;
  const f = parseLogfmt(line);
  const addr = f?.get('client_ip');
  if (f === undefined || f.get('msg') !== 'Incorrect username or password' || addr === undefined) return undefined;
  const t = f.get('time');
  const at = t === undefined ? undefined : isoAt(t, 0, stream.local);
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, 'miniflux');
  return webLoginFailure(ev, addr, f.get('username'), true) ? stream.done(ev, time) : undefined;
}

/** A line of one of these applications' own logs; undefined when it is none of them. */
export function webAppLoginLine(stream: Stream, line: string): ParsedLine | undefined {
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    // GitLab's time ends with a colon (`...667Z: Failed Login`); Bitwarden's date has a space at 10.
    const sp = line.indexOf(' ');
    const iso = line.charCodeAt(sp - 1) === 58 ? isoAt(line, 0, stream.local) : undefined;
    if (iso !== undefined && line.charCodeAt(iso[1]) === 58) {
      const g = GITLAB.exec(line.slice(iso[1]));
      if (g === null) return undefined;
      const ev = stream.event(line, iso[0], 'gitlab');
      webLoginFailure(ev, g[2]!, g[1]);
      return stream.done(ev, iso[0]);
    }
    if (line.charCodeAt(10) !== 32) return undefined;
    const b = BITWARDEN.exec(line);
    if (b === null) return undefined;
    const m = BITWARDEN_MSG.exec(b[3]!);
    const o = m === null ? OMBI_MSG.exec(b[3]!) : null;
    if (m === null && o === null) return undefined;
    const at = isoAt(`${b[1]}${b[2]}`, 0, stream.local);
    const time = at === undefined ? stream.ctx.clock.now() : at[0];
    const ev = stream.event(line, time, m === null ? 'ombi' : 'bitwarden');
    webLoginFailure(ev, (m ?? o)![1]!, undefined);
    return stream.done(ev, time);
  }
  if (c === 91) {
    const v = VAULTWARDEN.exec(line) ?? VAULTWARDEN_OTHER.exec(line);
    if (v === null) return undefined;
    const at = isoAt(v[1]!, 0, stream.local);
    const time = at === undefined ? stream.ctx.clock.now() : at[0];
    const ev = stream.event(line, time, 'vaultwarden');
    webLoginFailure(ev, v[2]!, v[3]);
    return stream.done(ev, time);
  }
  if (c === 116 && line.startsWith('time=')) return minifluxLine(stream, line);
  if ((c === 116 && line.startsWith('t=')) || (c === 108 && line.startsWith('logger='))) {
    const f = grafanaRefusal(line);
    if (f === undefined) return undefined;
    const t = f.get('t');
    const at = t === undefined ? undefined : isoAt(t, 0, stream.local);
    const time = at === undefined ? stream.ctx.clock.now() : at[0];
    const ev = stream.event(line, time, 'grafana');
    return grafanaFailure(ev, f) ? stream.done(ev, time) : undefined;
  }
  return undefined;
}

/** grafana-server / grafana through syslog or the journal (logfmt message). */
export function createGrafanaHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'grafana';
    const f = grafanaRefusal(env.msg);
    if (f !== undefined) grafanaFailure(ev, f);
    return true;
  };
}

/** Bitwarden's identity service through syslog (`Bitwarden-Identity[1]: [...] Failed login attempt. ADDR`). */
export function createBitwardenHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'bitwarden';
    const m = BITWARDEN_MSG.exec(env.msg);
    if (m !== null) webLoginFailure(ev, m[1]!, undefined);
    return true;
  };
}
