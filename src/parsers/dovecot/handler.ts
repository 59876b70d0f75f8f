import type { EcsEvent } from '../../core/event.js';
import { applyPamFailure } from '../pam/handler.js';
import { parsePamFailure } from '../pam/pam-message.js';
import { parsePeer } from '../shared/address.js';
import { AUTHENTICATION, TYPE_START } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { type AttemptRecord, createAttemptTracker } from './attempts.js';

type AttemptTracker = (ip: string, record: AttemptRecord, time: number) => boolean;

const LOGIN_FAIL =
  /\((?:auth failed, (\d+) attempts?(?: in \d+ secs?)?|tried to use (?:disabled|disallowed) \S+ auth|proxy dest auth failed)\)/;
/**
 * The end of a request's log prefix. Up to 2.3 it is `driver(USER,IP[,<session>]): `; 2.4
 * puts the ids after the parenthesis: `auth-worker(USER,IP)<pid><session>: `.
 */
const PREFIX_END = /\)(?:<[^<>\s]*>)*: /g;
/** What follows the prefix on a failure: 2.4's request number and passdb name, then the outcome. */
const PASSDB_FAIL =
  /^(?:request \[\d+\]: )?(?:[\w-]+: )?(unknown user|Password mismatch|pam_authenticate\(\) failed: (?:Authentication failure|User not known to the underlying authentication module|Permission denied)|invalid credentials|Authentication failure)/;

function setPeer(ev: EcsEvent, text: string): boolean {
  const peer = parsePeer(text);
  if (peer === undefined) return false;
  if ('ip' in peer) ev['source.ip'] = peer.ip;
  else ev['source.address'] = peer.address;
  return true;
}

/**
 * `imap-login: Disconnected (auth failed, 1 attempts): user=<U>, method=PLAIN, rip=IP, ...`.
 * user=<...> is client text and comes first; everything after the real `rip=` is dovecot's
 * own (lip, TLS, session id), so the address is the last `, rip=`.
 */
function login(m: string, ev: EcsEvent, time: number, repeated: AttemptTracker): boolean {
  const at = m.lastIndexOf('rip=');
  if (at < 0 || (at > 0 && m.charCodeAt(at - 1) !== 32)) return false;
  let end = m.indexOf(',', at);
  if (end < 0) end = m.length;
  if (!setPeer(ev, m.slice(at + 4, end))) return false;
  const head = m.slice(0, at);
  const u = head.length <= 8192 ? /(?:^|: )user=<(.*)>, /.exec(head) : null;
  if (u !== null && u[1]!.length > 0) ev['user.name'] = u[1]!;
  const fail = LOGIN_FAIL.exec(head);
  ev['event.category'] = AUTHENTICATION;
  if (fail !== null) {
    ev['event.action'] = 'mail_auth_failure';
    ev['event.outcome'] = 'failure';
    const ip = ev['source.ip'];
    if (fail[1] !== undefined && typeof ip === 'string' && repeated(ip, 'summary', time))
      ev['leuko.auth.repeat'] = true;
  } else if (/: Login: user=</.test(`: ${head}`) || head.startsWith('Login: ')) {
    ev['event.action'] = 'mail_login';
    ev['event.outcome'] = 'success';
    ev['event.type'] = TYPE_START;
  } else ev['event.action'] = 'mail_disconnect';
  return true;
}

/**
 * `auth-worker(123): pam(USER,IP,<session>): pam_authenticate() failed: ...`, or 2.4's
 * `auth-worker(USER,IP)<123><session>: request [7]: NAME: pam_authenticate() failed: ...`.
 * The user is client text and may hold `x,1.2.3.4): unknown user`, so the prefix taken is the
 * last one on the line (dovecot's own, after the user) and the outcome must follow it: an
 * outcome the user planted before the real prefix, behind a record of another outcome, is
 * never read. The address is the field before that prefix's `)`. A line whose password (logged
 * with auth_verbose_passwords) holds a prefix is dropped.
 */
function passdb(m: string, ev: EcsEvent, time: number, repeated: AttemptTracker): boolean {
  let close = -1;
  let after = 0;
  PREFIX_END.lastIndex = 0;
  for (let r = PREFIX_END.exec(m); r !== null; r = PREFIX_END.exec(m)) {
    close = r.index;
    after = PREFIX_END.lastIndex;
  }
  const last = close < 0 ? null : PASSDB_FAIL.exec(m.slice(after));
  if (last === null) return false;
  // With auth_verbose_passwords=plain the password tried is logged after the outcome, `Password
  // mismatch (given password: TEXT)`, and it is client text too: a prefix after that marker is
  // the password's, not dovecot's. Neither the real prefix nor its address can be told then.
  if (m.lastIndexOf('(given password: ', close) >= 0) return false;
  let inner = m.slice(0, close);
  // Optional ",<session>" or a trailing empty field, then ",IP".
  if (inner.endsWith('>')) {
    const lt = inner.lastIndexOf(',<');
    if (lt < 0) return false;
    inner = inner.slice(0, lt);
  } else if (inner.endsWith(',')) inner = inner.slice(0, -1);
  const comma = inner.lastIndexOf(',');
  if (comma < 0) return false;
  if (!setPeer(ev, inner.slice(comma + 1))) return false;
  const open = inner.lastIndexOf('(', comma);
  const uStart = /[a-z-]+\(/g;
  let userOpen = -1;
  // The driver's "(" is the last one before the address: an earlier one may be in the user.
  for (let r = uStart.exec(inner); r !== null && r.index < comma; r = uStart.exec(inner)) {
    if (
      /^(?:pam|passwd|passwd-file|shadow|sql|ldap|checkpassword|bsdauth|static|oauth2|lua|imap|auth|auth-worker)\($/.test(
        r[0],
      )
    ) {
      userOpen = r.index + r[0].length;
    }
  }
  const u = userOpen >= 0 ? inner.slice(userOpen, comma) : open >= 0 ? inner.slice(open + 1, comma) : '';
  if (u.length > 0) ev['user.name'] = u;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'mail_auth_failure';
  ev['event.outcome'] = 'failure';
  const reason = last[1]!;
  ev['event.reason'] = reason;
  const ip = ev['source.ip'];
  if (typeof ip === 'string' && repeated(ip, reason.startsWith('pam_authenticate') ? 'passdb-pam' : 'passdb', time))
    ev['leuko.auth.repeat'] = true;
  return true;
}

/** dovecot: login processes, passdb failures, PAM records. */
export function createDovecotHandler(): ProgramHandler {
  const repeated = createAttemptTracker();
  const handler: ProgramHandler = (env, ev) => {
    ev['event.dataset'] = 'dovecot';
    const m = env.msg;
    const pamAt = m.indexOf('pam_');
    if (pamAt >= 0 && m.indexOf('authentication failure;', pamAt) > 0) {
      const f = parsePamFailure(m.slice(pamAt));
      if (f !== null) {
        const kept = applyPamFailure(f, ev);
        const ip = ev['source.ip'];
        if (typeof ip === 'string') repeated(ip, 'pam', env.time);
        return kept;
      }
    }
    // Which record it is comes from the process, never from text a client could write.
    const isLogin = (env.program ?? '').endsWith('-login') || /^[a-z0-9]+-login: /.test(m);
    if (isLogin) login(m, ev, env.time, repeated);
    else passdb(m, ev, env.time, repeated);
    return true;
  };
  // Which attempts were written already survives a restart (see LineParser.snapshot).
  handler.snapshot = repeated.snapshot;
  handler.restore = repeated.restore;
  return handler;
}
