import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { parseJsonObject } from '../json/object.js';
import { setSource } from '../shared/address.js';
import { type Stream, WEB, WEB_AUTH } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Nextcloud's (and ownCloud's) log: one JSON object per record, in `nextcloud.log`, or as the
 * message of its syslog and journal records. Every record names the client in `remoteAddr`,
 * its own key, so the user names and URLs in the other keys cannot reach it. What is read:
 * - `Login failed: USER (Remote IP: ADDR)` (older: quoted): a failed login;
 * - `Bruteforce attempt from "ADDR" detected for action "A".`: the throttle counting a failed
 *   attempt. With log level info it follows the `Login failed` record of the same request, so
 *   that second record of one attempt is marked `leuko.auth.repeat` (counted once);
 * - `Trusted domain error. "ADDR" tried to access using "HOST" as host.`: a request for a host
 *   name the instance does not serve, what scanners walking address ranges send.
 */
const LEVELS = ['debug', 'info', 'warning', 'error', 'fatal'];
const LOGIN_FAILED = 'Login failed: ';
const REMOTE_IP = ' (Remote IP: ';
const BRUTEFORCE = /^Bruteforce attempt from "[^"]*" detected for action "([^"]*)"\.$/;
const UNTRUSTED = /^Trusted domain error\. "[^"]*" tried to access using "(.*)" as host\.$/;
/** Requests whose failed login is remembered, for the throttle's record that follows it. */
const RECENT_FAILED = 64;

type Doc = Record<string, unknown>;

/** Whether a JSON object is a Nextcloud/ownCloud log record. */
function isRecord(doc: Doc): boolean {
  return (
    typeof doc.reqId === 'string' &&
    typeof doc.remoteAddr === 'string' &&
    typeof doc.app === 'string' &&
    typeof doc.message === 'string'
  );
}

/** `Login failed: 'U' (Remote IP: 'A')` or unquoted: the user name, undefined when not that record. */
function failedLoginUser(msg: string): string | undefined {
  if (!msg.startsWith(LOGIN_FAILED)) return undefined;
  // The user name is the client's text: the fixed tail is found from the end.
  const tail = msg.lastIndexOf(REMOTE_IP);
  if (tail < LOGIN_FAILED.length || !msg.endsWith(')')) return undefined;
  let user = msg.slice(LOGIN_FAILED.length, tail);
  if (user.length >= 2 && user.startsWith("'") && user.endsWith("'")) user = user.slice(1, -1);
  return user;
}

function createRecordReader(): (ev: EcsEvent, doc: Doc) => void {
  const failedRequests = new Map<string, string>();
  return (ev, doc) => {
    ev['event.dataset'] = 'nextcloud';
    const level = doc.level;
    if (typeof level === 'number' && LEVELS[level] !== undefined) ev['log.level'] = LEVELS[level];
    if (typeof doc.app === 'string') ev['leuko.nextcloud.app'] = doc.app;
    if (typeof doc.method === 'string') ev['http.request.method'] = doc.method;
    if (typeof doc.url === 'string') ev['url.original'] = doc.url;
    if (typeof doc.userAgent === 'string' && doc.userAgent !== '--') ev['user_agent.original'] = doc.userAgent;
    const msg = doc.message as string;
    ev['leuko.json.message'] = msg;
    const addr = doc.remoteAddr as string;
    if (!setSource(ev, addr)) return;
    const reqId = doc.reqId as string;
    const user = failedLoginUser(msg);
    if (user !== undefined) {
      ev['event.category'] = WEB_AUTH;
      ev['event.action'] = 'nextcloud_login_failure';
      ev['event.outcome'] = 'failure';
      if (user.length > 0) ev['user.name'] = user;
      if (failedRequests.size >= RECENT_FAILED) failedRequests.delete(failedRequests.keys().next().value!);
      failedRequests.set(reqId, addr);
      return;
    }
    const bf = BRUTEFORCE.exec(msg);
    if (bf !== null) {
      ev['event.category'] = WEB_AUTH;
      ev['event.action'] = 'nextcloud_bruteforce_attempt';
      ev['event.outcome'] = 'failure';
      ev['leuko.nextcloud.throttled_action'] = bf[1]!;
      if (failedRequests.get(reqId) === addr) ev['leuko.auth.repeat'] = true;
      return;
    }
    const host = UNTRUSTED.exec(msg);
    if (host !== null) {
      ev['event.category'] = WEB;
      ev['event.action'] = 'http_untrusted_host';
      ev['event.outcome'] = 'failure';
      ev['url.domain'] = host[1]!;
      return;
    }
    const user2 = doc.user;
    if (typeof user2 === 'string' && user2 !== '--' && user2.length > 0) ev['user.name'] = user2;
  };
}

function timeOf(doc: Doc, stream: Stream): number {
  const t = doc.time;
  if (typeof t === 'string') {
    const at = isoAt(t, 0, stream.local);
    if (at !== undefined) return at[0];
    // A custom `logdateformat` (e.g. `F d, Y H:i:s`): what Date reads, else the clock.
    const parsed = Date.parse(t);
    if (Number.isFinite(parsed)) return parsed;
  }
  return stream.ctx.clock.now();
}

/** Reads a stream's own-log records (`nextcloud.log`). */
export function createNextcloudReader(): (stream: Stream, line: string, doc: Doc) => ParsedLine | undefined {
  const read = createRecordReader();
  return (stream, line, doc) => {
    if (!isRecord(doc)) return undefined;
    const time = timeOf(doc, stream);
    const ev = stream.event(line, time, 'nextcloud');
    read(ev, doc);
    return stream.done(ev, time);
  };
}

/** Nextcloud / ownCloud through syslog or the journal: the same JSON as the message. */
export function createNextcloudHandler(): ProgramHandler {
  const read = createRecordReader();
  return (env, ev) => {
    const doc = parseJsonObject(env.msg);
    if (doc !== undefined && isRecord(doc)) read(ev, doc);
    return true;
  };
}
