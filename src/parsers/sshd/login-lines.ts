import { parsePamFailure } from '../pam/pam-message.js';
import { type Peer, parsePeer, toPortAt } from '../shared/address.js';
import { fact, type SshdFact } from './facts.js';
import { firstFrom, lastFrom, preauthEnd, type Tail, tailAt, userBefore } from './tail.js';
import { indexOfText, textPattern } from '../shared/find.js';

const FROM = textPattern(' from ');
const PORT = textPattern(' port ');
const FOR = textPattern(' for ');

/** The method of `Failed METHOD for` / `Accepted METHOD for` without its `/submethod`. */
function methodAt(m: string, start: number, end: number): string {
  const slash = m.indexOf('/', start);
  const e = slash >= 0 && slash < end ? slash : end;
  // The usual methods as constants: no new string per line.
  if (e - start === 8 && m.startsWith('password', start)) return 'password';
  if (e - start === 9 && m.startsWith('publickey', start)) return 'publickey';
  if (e - start === 20 && m.startsWith('keyboard-interactive', start)) return 'keyboard-interactive';
  return m.slice(start, e);
}

/** The readings of an attempt's `from HOST[ port N][ ssh2][: info][ [preauth]]` after the user. */
interface Readings {
  readonly first: Tail;
  /** Every address that fits, when more than one does (attacker text holds a fake one). */
  readonly others: Peer[] | undefined;
}

/**
 * `... for [invalid user ]USER from HOST ...` from `u`, the user's first character. Existing
 * users have no spaces (sshd says "invalid user" otherwise), so their line is read at the
 * first reading that fits. Invalid user names are attacker text: every reading that fits is a
 * candidate, and a port-less reading only counts as the first one (old format).
 */
function attemptReadings(m: string, u: number, invalid: boolean): Readings | undefined {
  let first: Tail | undefined;
  let others: Peer[] | undefined;
  let index = 0;
  for (let at = indexOfText(m, FROM, u - 1); at >= 0 && index < 32; at = indexOfText(m, FROM, at + 1), index++) {
    const tail = tailAt(m, at + 6);
    if (tail === undefined || !(tail.atEnd || m.startsWith(': ', tail.end)) || (tail.port === undefined && index > 0))
      continue;
    if (first === undefined) {
      first = tail;
      if (!invalid) break;
    } else (others ??= [first.peer]).push(tail.peer);
  }
  return first === undefined ? undefined : { first, others };
}

export function failed(m: string): SshdFact | null {
  const sp = m.indexOf(' ', 7);
  if (sp < 0 || !m.startsWith(' for ', sp)) return null;
  const method = methodAt(m, 7, sp);
  let u = sp + 5;
  const invalid = m.startsWith('invalid user ', u) || m.startsWith('illegal user ', u);
  if (invalid) u += 13;
  const r = attemptReadings(m, u, invalid);
  if (r === undefined) return null;
  const { first, others } = r;
  const pubkey = method === 'publickey' && !invalid;
  const f = fact(pubkey ? 'nofail' : 'fail', 'ssh_login');
  if (others === undefined) {
    f.user = m.slice(u, first.start - 6);
    f.peer = first.peer;
    f.port = first.port;
  } else f.candidates = others;
  f.method = method;
  f.invalidUser = invalid;
  if (pubkey) f.reason = 'public key not accepted (clients offer several keys)';
  f.preauth = first.preauth;
  return f;
}

export function accepted(m: string): SshdFact | null {
  const sp = m.indexOf(' ', 9);
  if (sp < 0 || !m.startsWith(' for ', sp)) return null;
  const t = firstFrom(m, sp + 4, true);
  if (t === undefined) return null;
  const f = fact('success', 'ssh_login', t.peer, t.port);
  f.user = m.slice(sp + 5, t.start - 6);
  f.method = methodAt(m, 9, sp);
  return f;
}

export function invalidUser(m: string, start: number): SshdFact | null {
  const t = lastFrom(m, start);
  if (t === undefined) return null;
  const f = fact('fail', 'ssh_invalid_user', t.peer, t.port);
  f.user = userBefore(m, start, t);
  f.invalidUser = true;
  f.preauth = t.preauth;
  return f;
}

export function pamAuth(m: string): SshdFact | null {
  // "Authentication failure for USER from HOST[ via X]" (sshd's PAM error on BSD/macOS).
  const at = indexOfText(m, FOR);
  if (at < 0 || at > 40) return null;
  const t = lastFrom(m, at + 5);
  if (t === undefined) return null;
  const f = fact('fail', 'pam_auth_failure', t.peer, t.port);
  // `... for illegal user USER from HOST`: the name tried, flagged as unknown.
  const u = at + 5;
  f.invalidUser = m.startsWith('illegal user ', u) || m.startsWith('invalid user ', u);
  f.user = userBefore(m, f.invalidUser ? u + 13 : u, t);
  return f;
}

export function notKnown(m: string): SshdFact | null {
  let start = 59;
  const illegal = m.startsWith('illegal user ', start) || m.startsWith('invalid user ', start);
  if (illegal) start += 13;
  const t = lastFrom(m, start);
  if (t === undefined) return null;
  const f = fact('fail', 'pam_auth_failure', t.peer, t.port);
  f.user = userBefore(m, start, t);
  f.invalidUser = true;
  return f;
}

export function userNotAllowed(m: string): SshdFact | null {
  const end = preauthEnd(m);
  const s = end === m.length ? m : m.slice(0, end);
  const at = s.lastIndexOf(' not allowed because ');
  if (at < 0) return null;
  const f = fact('fail', 'ssh_user_not_allowed');
  const pre = s.slice(5, at);
  const from = pre.lastIndexOf(' from ');
  if (from >= 0) {
    const host = pre.slice(from + 6);
    const peer = host.indexOf(' ') < 0 ? parsePeer(host) : undefined;
    if (peer !== undefined) {
      f.user = pre.slice(0, from);
      f.peer = peer;
    }
  }
  f.user ??= pre;
  f.reason = s.slice(at + 21);
  f.preauth = end !== m.length;
  return f;
}

export function rootRefused(m: string): SshdFact | null {
  const t = tailAt(m, 24);
  if (t === undefined || !t.atEnd) return null;
  const f = fact('fail', 'ssh_root_login_refused', t.peer, t.port);
  f.user = 'root';
  f.preauth = t.preauth;
  return f;
}

export function maxAttempts(m: string): SshdFact | null {
  let start = 45;
  const invalid = m.startsWith('invalid user ', start);
  if (invalid) start += 13;
  const t = lastFrom(m, start);
  if (t === undefined) return null;
  const f = fact('fail', 'ssh_max_auth_tries', t.peer, t.port);
  f.user = userBefore(m, start, t);
  f.invalidUser = invalid;
  f.preauth = t.preauth;
  return f;
}

export function tooMany(m: string): SshdFact {
  const end = preauthEnd(m);
  const f = fact('fail', 'ssh_max_auth_tries');
  if (m.startsWith(' for ', 47) && end >= 52) f.user = m.slice(52, end);
  f.preauth = end !== m.length;
  f.reason = 'too many authentication failures';
  return f;
}

const DISCONNECTING_REASONS = [': Too many authentication failures', ': Change of username or service not allowed'];

/** `Disconnecting (invalid|authenticating) user USER HOST port N: REASON [preauth]`. */
export function disconnecting(m: string): SshdFact | null {
  let u = 14;
  if (m.startsWith('from ', u)) u += 5;
  const invalid = m.startsWith('invalid user ', u);
  if (!invalid && !m.startsWith('authenticating user ', u)) return null;
  u += invalid ? 13 : 20;
  const fits: { peer: Peer; port: number; userEnd: number; reason: string }[] = [];
  for (let at = indexOfText(m, PORT, u); at >= 0 && fits.length < 32; at = indexOfText(m, PORT, at + 1)) {
    let k = at + 6;
    while (m.charCodeAt(k) >= 48 && m.charCodeAt(k) <= 57) k++;
    const port = toPortAt(m, at + 6, k);
    const reason = DISCONNECTING_REASONS.find((r) => m.startsWith(r, k));
    if (port === undefined || reason === undefined) continue;
    const sp = m.lastIndexOf(' ', at - 1);
    if (sp < u - 1) continue;
    const peer = parsePeer(m.slice(sp + 1, at));
    if (peer !== undefined) fits.push({ peer, port, userEnd: sp, reason: reason.slice(2) });
  }
  const first = fits[0];
  if (first === undefined) return null;
  const action = first.reason.startsWith('Too many') ? 'ssh_max_auth_tries' : 'ssh_user_change';
  const f = fact('fail', action);
  f.invalidUser = invalid;
  if (fits.length > 1) {
    f.candidates = fits.map((x) => x.peer);
    f.preauth = true;
    return f;
  }
  f.user = m.slice(u, first.userEnd);
  f.peer = first.peer;
  f.port = first.port;
  f.reason = first.reason;
  f.preauth = m.endsWith('[preauth]');
  return f;
}

/**
 * `Postponed METHOD for [invalid user ]USER from HOST port N ssh2 [preauth]`, read as `Failed`
 * is: the connection remembers this line's address and lends it to the next ambiguous line, so
 * an invalid user's name holding ` from X port 22: ` must not pick it.
 */
export function postponed(m: string): SshdFact | null {
  const sp = m.indexOf(' ', 10);
  if (sp < 0 || !m.startsWith(' for ', sp)) return null;
  // `Postponed METHOD for invalid user USER from ...`: the name tried, flagged as unknown.
  const invalid = m.startsWith('invalid user ', sp + 5);
  const u = invalid ? sp + 18 : sp + 5;
  const r = attemptReadings(m, u, invalid);
  if (r === undefined) return null;
  const f = fact('info', 'ssh_auth_postponed');
  f.invalidUser = invalid;
  if (r.others !== undefined) {
    f.candidates = r.others;
    return f;
  }
  f.peer = r.first.peer;
  f.port = r.first.port;
  f.user = m.slice(u, r.first.start - 6);
  return f;
}

const SESSION = /^pam_unix\(sshd:session\): session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by |$)/;

export function pam(m: string): SshdFact {
  const p = parsePamFailure(m);
  if (p !== null) {
    // Legacy "(pam_unix)" records are counted as they are; current pam_unix(sshd:auth)
    // records are followed by sshd's own "Failed password" line for the same attempt.
    const f = fact(p.legacy ? 'fail' : 'nofail', 'pam_auth_failure');
    if (!p.legacy) f.reason = 'counted by the sshd line of the same attempt';
    if (p.ambiguous !== undefined) {
      f.candidates = p.ambiguous;
      return f;
    }
    f.user = p.user ?? p.ruser;
    f.peer = p.peer;
    f.preauth = m.endsWith('[preauth]');
    return f;
  }
  const s = m.startsWith('pam_unix(sshd:session): session ') ? SESSION.exec(m) : null;
  if (s !== null) {
    const start = s[1] === 'opened';
    const f = fact('info', start ? 'ssh_session_start' : 'ssh_session_end');
    f.user = s[2];
    f.sessionEvent = start ? 'start' : 'end';
    return f;
  }
  return fact('info', undefined);
}
