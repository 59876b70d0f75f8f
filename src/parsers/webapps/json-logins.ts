import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { parseJsonObject } from '../json/object.js';
import { normalizeIp } from '../shared/address.js';
import { AUTHENTICATION, type Stream, WEB } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { isGrafanaRefusal, webLoginFailure } from './logins.js';

/**
 * Refused logins of web applications that log JSON records, in their own file or as the message
 * of their syslog and journal records. Each names the client in a key of its own, which the
 * client's text (URL, headers, user name) cannot reach:
 * - OpenSearch Dashboards and Kibana (legacy JSON logging): a `response` record answering 401 to
 *   a POST to the login API (`/auth/login`, `/internal/security/login`), the TCP peer in
 *   `req.remoteAddress`;
 * - ntfy: `Connection closed with HTTP 401 (ntfy error 40101)` (wrong credentials) and `403
 *   (40301)` (a topic the client may not read or write: topic names are guessed like passwords),
 *   the client in `visitor_ip`;
 * - SFTPGo: `connection_failed` records, Grafana's JSON format and GitLab's request log (below).
 */
const LOGIN_PATHS = ['/auth/login', '/internal/security/login', '/api/security/v1/login'];
const NTFY_REFUSALS: Record<string, string> = { '40101': 'web_login_failure', '40301': 'web_access_denied' };

type Doc = Record<string, unknown>;

const record = (v: unknown): Doc | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : undefined;

/** A dashboards' refused login into `ev`; false when `doc` is no such record. */
function dashboardsRefusal(ev: EcsEvent, doc: Doc): boolean {
  if (doc.type !== 'response' || doc.statusCode !== 401 || doc.method !== 'post') return false;
  const req = record(doc.req);
  const url = req?.url;
  if (typeof url !== 'string' || typeof req?.remoteAddress !== 'string') return false;
  const path = url.split('?', 1)[0]!;
  if (!LOGIN_PATHS.includes(path)) return false;
  return webLoginFailure(ev, req.remoteAddress, undefined, true);
}

/** ntfy's refusal into `ev`; false when `doc` is no such record. */
function ntfyRefusal(ev: EcsEvent, doc: Doc): boolean {
  const action = NTFY_REFUSALS[String(doc.error_code)];
  if (action === undefined || typeof doc.visitor_ip !== 'string' || typeof doc.message !== 'string') return false;
  if (!doc.message.startsWith('Connection closed with HTTP 40')) return false;
  if (!webLoginFailure(ev, doc.visitor_ip, undefined, true)) return false;
  ev['event.action'] = action;
  if (typeof doc.error === 'string') ev['event.reason'] = doc.error;
  return true;
}

/**
 * SFTPGo's JSON log: `{"sender":"connection_failed","client_ip":"ADDR","username":"U","login_type":"password",
 * "protocol":"SSH|FTP|DAV|HTTP","error":"invalid credentials"}`, one record per refused login over any of
 * its protocols (a file-transfer service: plain authentication, not a web login).
 */
function sftpgoEvent(stream: Stream, line: string, doc: Doc): ParsedLine | undefined {
  if (doc.sender !== 'connection_failed' || typeof doc.client_ip !== 'string' || typeof doc.protocol !== 'string')
    return undefined;
  const at = typeof doc.time === 'string' ? isoAt(doc.time, 0, stream.local) : undefined;
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, 'sftpgo');
  if (!webLoginFailure(ev, doc.client_ip, typeof doc.username === 'string' ? doc.username : undefined, true))
    return undefined;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'login_failure';
  ev['network.protocol'] = doc.protocol.toLowerCase();
  if (typeof doc.error === 'string') ev['event.reason'] = doc.error;
  return stream.done(ev, time);
}

/**
 * Grafana with `format = json`: the logfmt record's keys as JSON (`logger`, `t`, `msg`, `error`,
 * `remote_addr`, `uname`).
 */
function grafanaJsonEvent(stream: Stream, line: string, doc: Doc): ParsedLine | undefined {
  if (typeof doc.msg !== 'string' || typeof doc.remote_addr !== 'string' || !isGrafanaRefusal(doc.msg, doc.error))
    return undefined;
  const at = typeof doc.t === 'string' ? isoAt(doc.t, 0, stream.local) : undefined;
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, 'grafana');
  const user = typeof doc.uname === 'string' ? doc.uname : undefined;
  if (!webLoginFailure(ev, doc.remote_addr, user)) return undefined;
  if (typeof doc.error === 'string') ev['event.reason'] = doc.error;
  return stream.done(ev, time);
}

/** GitLab's sign-in paths: the password form and its LDAP servers' callbacks. */
const GITLAB_SIGN_IN = /^\/users\/(?:sign_in|auth\/ldap\w*\/callback)$/;

/**
 * GitLab's request log (`production_json.log`, Rails' lograge): a POST to the sign-in form that
 * Warden threw back (`status: 0`) or that ended in the LDAP callback's `failure` action, with the
 * login tried in `params` (`user.login`, or `username` for LDAP); and a second factor refused (the
 * form re-rendered for `user.otp_attempt` instead of a 302 redirect). The client is GitLab's
 * `remote_ip` (Rails' reading through its trusted proxies). Other requests are not read here.
 */
function gitlabJsonEvent(stream: Stream, line: string, doc: Doc): ParsedLine | undefined {
  if (doc.method !== 'POST' || typeof doc.path !== 'string' || !GITLAB_SIGN_IN.test(doc.path)) return undefined;
  if (typeof doc.remote_ip !== 'string' || !Array.isArray(doc.params)) return undefined;
  let login: string | undefined;
  let password = false;
  let otp = false;
  for (const p of doc.params) {
    const param = record(p);
    const value = record(param?.value);
    if (param?.key === 'user' && value !== undefined) {
      if (typeof value.login === 'string') [login, password] = [value.login, true];
      if (value.otp_attempt !== undefined) otp = true;
    } else if (param?.key === 'username' && typeof param.value === 'string') [login, password] = [param.value, true];
  }
  const refused = password && (doc.status === 0 || doc.action === 'failure');
  const secondFactor = !refused && otp && doc.path === '/users/sign_in' && doc.status !== 302;
  const at = typeof doc.time === 'string' ? isoAt(doc.time, 0, stream.local) : undefined;
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, 'gitlab');
  if (refused || secondFactor) {
    if (!webLoginFailure(ev, doc.remote_ip, login, true)) return undefined;
    if (secondFactor) ev['event.reason'] = 'second factor refused';
  } else {
    // Any other answer to the form (a redirect after a good password): the client, nothing more.
    const ip = normalizeIp(doc.remote_ip);
    if (ip === undefined) return undefined;
    ev['source.ip'] = ip;
    ev['event.category'] = WEB;
  }
  return stream.done(ev, time);
}

/** A refused login of these applications' JSON log files; undefined for any other document. */
export function jsonLoginEvent(stream: Stream, line: string, doc: Doc): ParsedLine | undefined {
  if (doc.controller === 'SessionsController' || doc.controller === 'OmniauthCallbacksController')
    return gitlabJsonEvent(stream, line, doc);
  if (doc.sender === 'connection_failed') return sftpgoEvent(stream, line, doc);
  if (typeof doc.logger === 'string' && typeof doc.remote_addr === 'string') return grafanaJsonEvent(stream, line, doc);
  const dashboards = doc.type === 'response' && typeof doc['@timestamp'] === 'string';
  const ntfy = !dashboards && typeof doc.visitor_ip === 'string' && doc.error_code !== undefined;
  if (!dashboards && !ntfy) return undefined;
  const stamp = dashboards ? doc['@timestamp'] : doc.time;
  const at = typeof stamp === 'string' ? isoAt(stamp, 0, stream.local) : undefined;
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, dashboards ? 'opensearch-dashboards' : 'ntfy');
  const hit = dashboards ? dashboardsRefusal(ev, doc) : ntfyRefusal(ev, doc);
  return hit ? stream.done(ev, time) : undefined;
}

/** opensearch-dashboards and kibana through syslog or the journal: the message is the JSON record. */
export function createDashboardsHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = env.program === 'kibana' ? 'kibana' : 'opensearch-dashboards';
    const doc = env.msg.startsWith('{"type":"response"') ? parseJsonObject(env.msg) : undefined;
    if (doc !== undefined) dashboardsRefusal(ev, doc);
    return true;
  };
}

/** ntfy through syslog or the journal with `log-format: json`. */
export function createNtfyHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'ntfy';
    const doc = parseJsonObject(env.msg);
    if (doc !== undefined) ntfyRefusal(ev, doc);
    return true;
  };
}
