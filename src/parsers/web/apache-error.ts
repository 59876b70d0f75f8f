import type { EcsEvent } from '../../core/event.js';
import { parsePeer, splitHostPort } from '../shared/address.js';
import { TYPE_INFO, WEB, WEB_AUTH, WEB_INTRUSION } from '../shared/stream.js';
import { fillRequest } from './access.js';
import { fillModSecurity } from './modsecurity.js';
import { fillPhpLoginFailure } from './php-logins.js';
import { digitsAt, fractionAt, type LocalTime, monthAt } from '../shared/time.js';

/** `[Www Mmm dd HH:MM:SS[.usec] YYYY] ` at 0: [time, index after]; local time. */
export function apacheErrorTime(line: string, local: LocalTime): [number, number] | null {
  if (line.charCodeAt(0) !== 91 || line.charCodeAt(4) !== 32) return null;
  const mo = monthAt(line, 5);
  const d = digitsAt(line, 9, 2);
  const h = digitsAt(line, 12, 2);
  const mi = digitsAt(line, 15, 2);
  const s = digitsAt(line, 18, 2);
  if (mo < 0 || d < 1 || h < 0 || mi < 0 || s < 0) return null;
  let i = 20;
  let ms = 0;
  if (line.charCodeAt(i) === 46) [ms, i] = fractionAt(line, i + 1);
  const y = digitsAt(line, i + 1, 4);
  if (line.charCodeAt(i) !== 32 || y < 0 || line.charCodeAt(i + 5) !== 93 || line.charCodeAt(i + 6) !== 32) return null;
  const t = local(y, mo, d, h, mi, s, ms);
  return Number.isFinite(t) ? [t, i + 7] : null;
}

/** Messages (after `AHnnnnn: `, `Digest: `) that mean a failed or refused authentication. */
const AUTH_FAILURES: readonly [RegExp, string][] = [
  [/^user `(.*)' in realm `.*' not found: .*$/s, 'http_auth_failure'],
  [/^user (.*) not found(?:: .*)?$/s, 'http_auth_failure'],
  [/^user (.*): authentication failure for ".*": Password Mismatch$/s, 'http_auth_failure'],
  [/^user (.*): password mismatch: .*$/s, 'http_auth_failure'],
  [/^user (.*): authorization failure for ".*":.*$/s, 'http_authz_failure'],
  [/^Authorization of user (.*) to access .* failed, reason: .*$/s, 'http_authz_failure'],
  [/^client used wrong authentication scheme: .*$/s, 'http_auth_failure'],
  [/^invalid qop `.*' received: .*$/s, 'http_auth_failure'],
  [/^invalid nonce .* received - (?:length is not \d+|user attempted time travel)$/s, 'http_auth_failure'],
  [/^realm mismatch - got `.*' but expected `.*'$/s, 'http_auth_failure'],
  [/^unknown algorithm `.*' received: .*$/s, 'http_auth_failure'],
  [/^client denied by server configuration: .*$/s, 'http_access_denied'],
  [/^Hostname \S+ provided via SNI(?:,| and) .*$/s, 'http_sni_mismatch'],
  [/^No hostname was provided via SNI for a name based virtual host$/, 'http_sni_mismatch'],
  // ZoneMinder's PHP logger writes its refused logins into the web server's error log.
  [/^(?:WAR|ERR) \[Login denied for user "(.*)"\]$/s, 'web_login_failure'],
  [/^(?:WAR|ERR) \[Could not retrieve user (.*) details\]$/s, 'web_login_failure'],
];

/**
 * Bash's own complaint when a CGI request carried a function definition in a header (the
 * Shellshock payload, CVE-2014-6271 and its follow-ups): mod_cgi relays the script's stderr.
 * The access log shows only a normal request, since the payload usually rides in a custom
 * header. Bash writes the variable's name, which is the header's: kept as the reason.
 */
const SHELLSHOCK =
  /^\/(?:usr\/)?bin\/(?:ba)?sh: (?:warning: ([A-Z0-9_]{1,128}): ignoring function definition attempt|error importing function definition for `([A-Z0-9_]{1,128})')$/;

function fillShellshock(msg: string, ev: EcsEvent): boolean {
  if (msg.charCodeAt(0) !== 47 /* / */) return false;
  const m = SHELLSHOCK.exec(msg);
  if (m === null) return false;
  ev['event.category'] = WEB_INTRUSION;
  ev['event.type'] = TYPE_INFO;
  ev['event.action'] = 'http_shellshock_attempt';
  ev['event.outcome'] = 'failure';
  ev['event.reason'] = `bash function definition in ${m[1] ?? m[2]}`;
  return true;
}

/**
 * The part of an Apache error record after the timestamp (also what `ErrorLog syslog` sends):
 * `[module:level] [pid N:tid M] [(errno)text: ][client ADDR[:PORT]] [AHnnnnn: ]MESSAGE[, referer: R]`.
 * The client bracket is taken only where Apache puts it, before the message, so a
 * `[client x]` inside a requested path cannot stand in for it.
 */
export function fillApacheError(ev: EcsEvent, line: string, start: number): boolean {
  let i = start;
  if (line.charCodeAt(i) !== 91) return false;
  const lvEnd = line.indexOf('] ', i);
  if (lvEnd < 0 || lvEnd > i + 64) return false;
  const lv = line.slice(i + 1, lvEnd);
  const colon = lv.lastIndexOf(':');
  const module = colon >= 0 ? lv.slice(0, colon) : undefined;
  const level = colon >= 0 ? lv.slice(colon + 1) : lv;
  if (!/^[a-z]+\d*$/.test(level)) return false;
  ev['log.level'] = level;
  if (module) ev['leuko.apache.module'] = module;
  ev['event.category'] = WEB;
  i = lvEnd + 2;
  if (line.startsWith('[pid ', i)) {
    const e = line.indexOf('] ', i);
    if (e < 0) return false;
    i = e + 2;
  }
  if (line.charCodeAt(i) === 40) {
    const e = line.indexOf(': ', i);
    if (e > 0 && e < i + 128) i = e + 2;
  }
  if (line.startsWith('[client ', i)) {
    const body = i + 8;
    let e: number;
    if (line.charCodeAt(body) === 91) {
      const rb = line.indexOf(']', body);
      e = rb < 0 ? -1 : line.indexOf(']', rb + 1);
    } else e = line.indexOf(']', body);
    if (e < 0) return false;
    // 2.4 (`[module:level]`) always writes `%a` as `ADDR:PORT`, IPv6 unbracketed too: a
    // `[client 2001:db8::5:40000]` is 2001:db8::5, not an address ending with the client's port.
    const { host, port } = splitHostPort(line.slice(body, e), colon >= 0);
    const peer = parsePeer(host);
    if (peer !== undefined) {
      if ('ip' in peer) ev['source.ip'] = peer.ip;
      else ev['source.address'] = peer.address;
      if (port !== undefined) ev['source.port'] = port;
    }
    i = e + 1;
    if (line.charCodeAt(i) === 32) i++;
  }
  let msg = line.slice(i);
  const code = /^(AH\d{5}): /.exec(msg);
  if (code !== null) {
    ev['error.code'] = code[1]!;
    msg = msg.slice(code[0].length);
  }
  const ref = msg.lastIndexOf(', referer: ');
  if (ref >= 0) {
    const r = msg.slice(ref + 11);
    if (r.indexOf(' ') < 0) {
      ev['http.request.referrer'] = r;
      msg = msg.slice(0, ref);
    }
  }
  if (fillModSecurity(msg, ev)) return true;
  if (fillShellshock(msg, ev)) return true;
  if (msg.startsWith("Got error 'PHP message: ") && fillPhpLoginFailure(ev, msg, 'apache')) return true;
  // AH00126: a request line Apache refused before mapping it to a file, often an encoded `..`
  // past the root (CVE-2021-41773's `/cgi-bin/.%2e/`): read as the request it was, so the URL
  // signatures that read error logs see it even where the access log is not followed.
  let invalid = false;
  if (msg.startsWith('Invalid URI in request ')) {
    fillRequest(ev, msg.slice(23).trimEnd());
    invalid = true;
  } else if (msg.startsWith('invalid URI path (') && msg.endsWith(')')) {
    // AH10244 (2.4.50 and later): the same refusal after decoding, naming only the URI.
    const uri = msg.slice(18, -1);
    ev['url.original'] = uri;
    const q = uri.indexOf('?');
    ev['url.path'] = q >= 0 ? uri.slice(0, q) : uri;
    invalid = true;
  }
  if (invalid) {
    ev['event.action'] = 'http_invalid_uri';
    ev['event.outcome'] = 'failure';
    return true;
  }
  if (msg.startsWith('Digest: ')) msg = msg.slice(8);
  // Apache caps request lines and headers near 8 KB; longer text is no auth record and
  // would only feed the regexes' backtracking.
  const hit = msg.length <= 16_384 ? AUTH_FAILURES.find(([re]) => re.test(msg)) : undefined;
  // mod_evasive's own blocks are rate limiting, already decided, not a failed login.
  if (hit !== undefined && !(module ?? '').startsWith('evasive')) {
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = hit[1];
    ev['event.outcome'] = 'failure';
    const u = hit[0].exec(msg);
    if (u !== null && u[1] !== undefined && u[1].length > 0) ev['user.name'] = u[1];
    const path = /(?:not found|failure for|mismatch|configuration|scheme|received): "?(\/[^"\s]*)"?$/.exec(msg);
    if (path !== null) ev['url.original'] = path[1]!;
  }
  return true;
}
