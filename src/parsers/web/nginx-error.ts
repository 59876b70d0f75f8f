import type { EcsEvent } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import { digitsAt } from '../shared/time.js';
import type { LocalTime } from '../shared/time.js';
import { WEB, WEB_AUTH } from '../shared/stream.js';
import { fillModSecurity } from './modsecurity.js';
import { fillRequest } from './access.js';
import { fillPhpLoginFailure } from './php-logins.js';

const CLIENT = ', client: ';
/**
 * The request line in nginx's context: without quotes (spaces and all, as nginx before 1.21.1
 * took them), or method, target and version with quotes in the target but no space (nginx
 * takes a literal `"` in a path, and refuses spaces since 1.21.1).
 */
const REQUEST = String.raw`(?:[^"]*|\S* \S*(?: HTTP\/[\d.]+)?)`;
/**
 * nginx's context after the message, each value being one token or a quoted string without
 * quotes inside, but the request line (REQUEST) and the last one (referrer), which may be
 * anything.
 */
const CONTEXT = new RegExp(
  String.raw`^, server: [^\s,"]*(?:, request: "${REQUEST}")?(?:, subrequest: "[^"]*")?(?:, upstream: "[^"]*")?(?:, host: "[^"]*")?(?:, referrer: ".*")?(?:, login: "[^"]*")?\s*$`,
);
/** The request line of a context that passed CONTEXT, up to the next field or the end. */
const REQUEST_FIELD = new RegExp(
  String.raw`, request: "(${REQUEST})"(?:, (?:subrequest|upstream|host|referrer|login): |\s*$)`,
);
/**
 * nginx never writes a record longer than this (NGX_MAX_ERROR_STR, 2048 bytes with its
 * newline). Longer lines are not its records as written; they are not matched against
 * CONTEXT either, whose two free fields make the test quadratic in the line's length.
 */
const MAX_RECORD_CHARS = 2048;

export interface NginxErrorHead {
  readonly time: number;
  readonly level: string;
  /** Index where the message starts (after `pid#tid: [*cid ]`). */
  readonly msgStart: number;
}

/** `YYYY/MM/DD HH:MM:SS [level] PID#TID: [*CID ]` at `start`; local time. */
export function nginxErrorHead(line: string, start: number, local: LocalTime): NginxErrorHead | null {
  const y = digitsAt(line, start, 4);
  if (y < 0 || line.charCodeAt(start + 4) !== 47 || line.charCodeAt(start + 7) !== 47) return null;
  const mo = digitsAt(line, start + 5, 2);
  const d = digitsAt(line, start + 8, 2);
  const h = digitsAt(line, start + 11, 2);
  const mi = digitsAt(line, start + 14, 2);
  const s = digitsAt(line, start + 17, 2);
  if (mo < 1 || d < 1 || h < 0 || mi < 0 || s < 0 || line.charCodeAt(start + 19) !== 32) return null;
  if (line.charCodeAt(start + 20) !== 91) return null;
  const close = line.indexOf('] ', start + 21);
  if (close < 0 || close > start + 32) return null;
  const level = line.slice(start + 21, close);
  let i = close + 2;
  const colon = line.indexOf(': ', i);
  if (colon < 0 || colon > i + 24 || !/^\d+#\d+$/.test(line.slice(i, colon))) return null;
  i = colon + 2;
  if (line.charCodeAt(i) === 42) {
    const sp = line.indexOf(' ', i);
    if (sp > 0 && sp < i + 24) i = sp + 1;
  }
  const time = local(y, mo - 1, d, h, mi, s, 0);
  return Number.isFinite(time) ? { time, level, msgStart: i } : null;
}

/**
 * `user "U": password mismatch` / `user "U"[:] was not found in "FILE"`, checked with
 * end-anchored string tests (U is client text; a regex with two `.*` would backtrack
 * quadratically on a long line). Returns the user name or undefined.
 */
export function nginxAuthFailureUser(msg: string): string | undefined {
  if (!msg.startsWith('user "')) return undefined;
  for (const tail of ['": password mismatch', '" password mismatch']) {
    if (msg.endsWith(tail) && msg.length >= 6 + tail.length) return msg.slice(6, msg.length - tail.length);
  }
  const at = msg.lastIndexOf(' was not found in "');
  if (at < 0 || !msg.endsWith('"') || msg.indexOf('"', at + 19) !== msg.length - 1) return undefined;
  const q = msg.charCodeAt(at - 1) === 58 ? at - 2 : at - 1;
  return q >= 5 && msg.charCodeAt(q) === 34 ? msg.slice(6, q) : undefined;
}

/** `nginxClientAt` found candidates, but not exactly one followed by nginx's context. */
export const AMBIGUOUS_CLIENT = -2;

/**
 * nginx's messages in which no client text can hold a colon: basic auth's (the user name ends
 * at the first colon of the credentials; the password file's name is the config's), the rate
 * limits' and the access rules' (no client text at all). In such a record the first
 * `, client: ` is nginx's own, whatever the request, host or referrer after it hold, and even
 * when nginx cut the record at its 2048-byte limit before the end of its context.
 */
function clientFreeMessage(msg: string): boolean {
  const user = nginxAuthFailureUser(msg);
  return (
    (user !== undefined && !user.includes(':')) ||
    msg.startsWith('limiting requests, excess: ') ||
    msg.startsWith('limiting connections by zone ') ||
    msg === 'access forbidden by rule' ||
    msg === 'no user/password was provided for basic authentication'
  );
}

/**
 * Where nginx's own `, client: ADDR, server: ` is in `line`, searched from `from`. nginx does
 * not escape the user name or path in the message nor the request, host and referrer in the
 * context, so a fake one can sit on either side of the real one. One candidate naming an
 * address: it is the client. Several: in a record nginx may have cut at its limit, with `from`
 * at the message nginx began (`atMessage`), the first when the message before it is one whose
 * client text cannot hold a colon (clientFreeMessage); otherwise the one whose rest is nginx's
 * context grammar, if exactly one is, else AMBIGUOUS_CLIENT. -1: none.
 */
export function nginxClientAt(line: string, from: number, atMessage = false): number {
  const cands: number[] = [];
  for (let at = line.indexOf(CLIENT, from); at >= 0 && cands.length < 32; at = line.indexOf(CLIENT, at + 1)) {
    const end = line.indexOf(', server: ', at + CLIENT.length);
    if (end < 0) break;
    if (normalizeIp(line.slice(at + CLIENT.length, end)) !== undefined) cands.push(at);
  }
  if (cands.length <= 1) return cands[0] ?? -1;
  // A record nginx cut at its limit has lost the end of its context, which the grammar below
  // needs: there only the message can say which candidate is nginx's.
  if (atMessage && mayBeCut(line) && clientFreeMessage(line.slice(from, cands[0]))) return cands[0]!;
  if (line.length > MAX_RECORD_CHARS) return AMBIGUOUS_CLIENT;
  const fits = cands.filter((at) => CONTEXT.test(line.slice(line.indexOf(', server: ', at))));
  return fits.length === 1 ? fits[0]! : AMBIGUOUS_CLIENT;
}

/**
 * Whether `line` may be a record nginx cut at its limit: 2047 bytes and its newline in its own
 * file, less through syslog, where the datagram's header takes part of the limit (so anything
 * past three quarters of it).
 */
function mayBeCut(line: string): boolean {
  return line.length >= 512 && Buffer.byteLength(line) >= 1536;
}

/** nginx's record head, up to where its message starts. */
const HEAD = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[[a-z]+\] \d+#\d+: (?:\*\d+ )?/;

/**
 * Whether an nginx record line names its client truly even if nginx cut it at its limit: its
 * message is one whose client text cannot hold a colon (clientFreeMessage), so the first
 * `, client: ` is nginx's own. A basic-auth failure padded with a long referrer is still its
 * sender's, not a line to drop.
 */
export function nginxClientSurvivesCut(line: string): boolean {
  const head = HEAD.exec(line);
  if (head === null) return false;
  const first = line.indexOf(CLIENT, head[0].length);
  return first >= 0 && clientFreeMessage(line.slice(head[0].length, first));
}

/** The client address of the context at `pick` (nginxClientAt), normalized. */
export function clientAt(line: string, pick: number): string {
  return normalizeIp(line.slice(pick + CLIENT.length, line.indexOf(', server: ', pick)))!;
}

/** The client, request and host of the context at `pick` (nginxClientAt) into `ev`. */
export function fillNginxContext(ev: EcsEvent, line: string, pick: number): void {
  const srv = line.indexOf(', server: ', pick);
  ev['source.ip'] = clientAt(line, pick);
  const ctx = line.slice(srv);
  const req = REQUEST_FIELD.exec(ctx);
  if (req !== null) fillRequest(ev, req[1]!);
  const host = /, host: "([^"]*)"/.exec(ctx);
  if (host !== null) ev['url.domain'] = host[1]!;
}

/**
 * The message and client of an nginx error record (see nginxClientAt); false when the client
 * is ambiguous.
 */
export function fillNginxError(ev: EcsEvent, line: string, head: NginxErrorHead): boolean {
  ev['log.level'] = head.level;
  ev['event.category'] = WEB;
  const pick = nginxClientAt(line, head.msgStart, true);
  if (pick === AMBIGUOUS_CLIENT) return false;
  let msg = line.slice(head.msgStart);
  if (pick >= 0) {
    fillNginxContext(ev, line, pick);
    msg = line.slice(head.msgStart, pick);
  } else {
    // "client 1.2.3.4:5 connected to 0.0.0.0:25" (mail proxy) has the client first.
    const cm = /^client ([0-9a-fA-F.:[\]]+?)(?::\d+)? connected to /.exec(msg);
    const ip = cm !== null ? normalizeIp(cm[1]!) : undefined;
    if (ip !== undefined) ev['source.ip'] = ip;
  }
  if (fillModSecurity(msg, ev)) return true;
  if (msg.startsWith('FastCGI sent in stderr: "PHP message: ') && fillPhpLoginFailure(ev, msg, 'nginx')) return true;
  const user = nginxAuthFailureUser(msg);
  if (user !== undefined) {
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = 'http_auth_failure';
    ev['event.outcome'] = 'failure';
    ev['user.name'] = user;
  } else if (msg.startsWith('client used invalid token: ')) {
    // auth_jwt (NGINX Plus) refusing a bearer token for the realm named after the colon.
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = 'http_auth_failure';
    ev['event.outcome'] = 'failure';
  } else if (msg.startsWith('limiting requests, excess: ') || msg.startsWith('limiting connections by zone ')) {
    ev['event.action'] = 'http_rate_limited';
    ev['event.outcome'] = 'failure';
  } else if (msg.startsWith('access forbidden by rule')) {
    ev['event.action'] = 'http_access_denied';
    ev['event.outcome'] = 'failure';
  } else if (msg.startsWith('no user/password was provided for basic authentication')) {
    ev['event.action'] = 'http_auth_required';
  } else if (msg.startsWith('client login failed: ')) {
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = 'mail_auth_failure';
    ev['event.outcome'] = 'failure';
  }
  return true;
}
