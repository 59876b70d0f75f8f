import { parsePamFailure } from '../pam/pam-message.js';
import { type Peer, parsePeer, toPort } from '../shared/address.js';
import type { SshdFact } from './facts.js';
import { stripPreauth, type Tail, tailAt } from './tail.js';

/**
 * Classify one sshd message (envelope removed). Each branch is chosen by a literal prefix and
 * reads the address from the part of the line sshd itself formats: after the user name for
 * `... for USER from HOST port N` (the user is attacker-chosen and may hold a fake
 * ` from 1.2.3.4 port 22`), before any client-supplied text otherwise.
 */
export function classifySshd(raw: string): SshdFact | null {
  let m = raw;
  let level: string | undefined;
  if (m.startsWith('error: ')) {
    level = 'error';
    m = m.slice(7);
  } else if (m.startsWith('fatal: ')) {
    level = 'fatal';
    m = m.slice(7);
  }
  if (m.startsWith('PAM: ')) m = m.slice(5);
  const fact = dispatch(m);
  if (fact !== null && level !== undefined) return { ...fact, level };
  return fact;
}

function dispatch(m: string): SshdFact | null {
  switch (m.charCodeAt(0)) {
    case 65: // A
      if (m.startsWith('Accepted ')) return accepted(m);
      if (m.startsWith('Authentication ') || m.startsWith('Address '))
        return m.startsWith('Address ') ? address(m) : pamAuth(m);
      break;
    case 97: // a
      if (m.startsWith('authentication ')) return pamAuth(m);
      break;
    case 70: // F
      if (m.startsWith('Failed ')) return failed(m);
      break;
    case 73: // I
      if (m.startsWith('Invalid user ') || m.startsWith('Illegal user ')) return invalidUser(m, 13);
      break;
    case 85: // U
      if (m.startsWith('User not known to the underlying authentication module for ')) return notKnown(m);
      if (m.startsWith('User ')) return userNotAllowed(m);
      if (m.startsWith('Unable to negotiate ')) return negotiate(m);
      break;
    case 67: // C
      if (m.startsWith('Connection closed by ')) return closed(m, 21);
      if (m.startsWith('Connection reset by ')) return closed(m, 20);
      if (m.startsWith('Connection from ')) return connectionFrom(m);
      if (m.startsWith('Close session: user ')) return closeSession(m);
      break;
    case 68: // D
      if (m.startsWith('Disconnected from ')) return closed(m, 18);
      if (m.startsWith('Disconnecting: Too many authentication failures')) return tooMany(m);
      if (m.startsWith('Disconnecting ')) return disconnecting(m);
      if (m.startsWith('Did not receive identification string from ')) return network(m, 43, 'ssh_kex_error');
      break;
    case 82: // R
      if (m.startsWith('Received disconnect from ')) return receivedDisconnect(m);
      if (m.startsWith('ROOT LOGIN REFUSED FROM ')) return rootRefused(m);
      if (m.startsWith('Read from socket failed: ')) return { kind: 'fail', action: 'ssh_kex_error', network: true };
      break;
    case 114: // r
      if (m.startsWith('refused connect from ')) return refusedConnect(m);
      if (m.startsWith('reverse mapping checking ')) return { kind: 'info', action: 'ssh_reverse_mapping_mismatch' };
      break;
    case 109: // m
      if (m.startsWith('maximum authentication attempts exceeded for ')) return maxAttempts(m);
      break;
    case 112: // p
      if (m.startsWith('pam_')) return pam(m);
      break;
    case 40: // (
      if (m.startsWith('(pam_')) return pam(m);
      break;
    case 80: // P
      if (m.startsWith('Postponed ')) return postponed(m);
      if (m.startsWith('PAM ')) return { kind: 'info', action: 'pam_auth_failure_summary' };
      break;
    case 66: // B
      if (m.startsWith('Bad protocol version identification ')) return badProtocol(m);
      break;
    case 98: // b
      if (m.startsWith('banner exchange: Connection from ')) return network(m, 33, 'ssh_banner_error');
      break;
    case 107: // k
      if (m.startsWith('kex_exchange_identification: '))
        return { kind: 'fail', action: 'ssh_kex_error', network: true };
      break;
    case 110: // n
      if (m.startsWith('no matching ')) return { kind: 'fail', action: 'ssh_kex_error', network: true };
      break;
    case 84: // T
      if (m.startsWith('Timeout before authentication for ')) return timeout(m);
      break;
    case 115: // s
      if (m.startsWith('ssh_dispatch_run_fatal: Connection from ')) return network(m, 40, 'ssh_protocol_error');
      break;
    case 83: // S
      if (m.startsWith('SSH: Server;Ltype: ')) return ltype(m);
      break;
    case 77: // M
      if (m.startsWith('Magic value check failed ')) return magic(m);
      break;
    case 105: // i
      if (m.startsWith('input_userauth_request: invalid user ')) {
        return {
          kind: 'info',
          action: 'ssh_invalid_user_request',
          user: stripPreauth(m)[0].slice(37),
          invalidUser: true,
        };
      }
      break;
  }
  return null;
}

/** Every ` from ` after `start` whose address part parses: the possible readings, in order. */
function fromCandidates(m: string, start: number): { at: number; tail: Tail }[] {
  const out: { at: number; tail: Tail }[] = [];
  for (let at = m.indexOf(' from ', start); at >= 0; at = m.indexOf(' from ', at + 1)) {
    const tail = tailAt(m, at + 6);
    if (tail !== undefined) out.push({ at, tail });
    if (out.length > 32) break;
  }
  return out;
}

/** Does the reading end the line, or go on with sshd's own `: info` suffix? */
function endsOrInfo(m: string, t: Tail): boolean {
  return t.atEnd || m.startsWith(': ', t.end);
}

function baseMethod(method: string): string {
  const slash = method.indexOf('/');
  return slash < 0 ? method : method.slice(0, slash);
}

function failed(m: string): SshdFact | null {
  const sp = m.indexOf(' ', 7);
  if (sp < 0 || !m.startsWith(' for ', sp)) return null;
  const method = baseMethod(m.slice(7, sp));
  let u = sp + 5;
  const invalid = m.startsWith('invalid user ', u) || m.startsWith('illegal user ', u);
  if (invalid) u += 13;
  // Existing users have no spaces (sshd says "invalid user" otherwise), so their line is read
  // at the first reading that fits. Invalid user names are attacker text: every reading that
  // fits is a candidate, and a port-less reading only counts as the first one (old format).
  let first: { at: number; tail: Tail } | undefined;
  let others: Peer[] | undefined;
  let index = 0;
  for (let at = m.indexOf(' from ', u - 1); at >= 0 && index < 32; at = m.indexOf(' from ', at + 1), index++) {
    const tail = tailAt(m, at + 6);
    if (tail === undefined || !endsOrInfo(m, tail) || (tail.port === undefined && index > 0)) continue;
    if (first === undefined) {
      first = { at, tail };
      if (!invalid) break;
    } else (others ??= [first.tail.peer]).push(tail.peer);
  }
  if (first === undefined) return null;
  const pubkey = method === 'publickey' && !invalid;
  return {
    kind: pubkey ? 'nofail' : 'fail',
    action: 'ssh_login',
    user: others === undefined ? m.slice(u, first.at) : undefined,
    method,
    invalidUser: invalid,
    reason: pubkey ? 'public key not accepted (clients offer several keys)' : undefined,
    candidates: others,
    peer: others === undefined ? first.tail.peer : undefined,
    port: others === undefined ? first.tail.port : undefined,
    preauth: first.tail.preauth,
  };
}

function accepted(m: string): SshdFact | null {
  const sp = m.indexOf(' ', 9);
  if (sp < 0 || !m.startsWith(' for ', sp)) return null;
  const method = m.slice(9, sp);
  const c = fromCandidates(m, sp + 4).find((x) => endsOrInfo(m, x.tail));
  if (c === undefined) return null;
  return {
    kind: 'success',
    action: 'ssh_login',
    user: m.slice(sp + 5, c.at),
    method: baseMethod(method),
    peer: c.tail.peer,
    port: c.tail.port,
  };
}

/** `... for USER from HOST[ port N][ ssh2][ via X]` read from the end. */
function lastFrom(m: string, start: number): { user: string; tail: Tail } | undefined {
  let s = m;
  const via = s.lastIndexOf(' via ');
  if (via > 0 && s.indexOf(' ', via + 5) < 0) s = s.slice(0, via);
  const at = s.lastIndexOf(' from ');
  if (at < start - 1) return undefined;
  const tail = tailAt(s, at + 6);
  if (tail === undefined || !tail.atEnd) return undefined;
  return { user: s.slice(start, Math.max(start, at)), tail };
}

function invalidUser(m: string, start: number): SshdFact | null {
  const r = lastFrom(m, start);
  if (r === undefined) return null;
  return {
    kind: 'fail',
    action: 'ssh_invalid_user',
    user: r.user,
    invalidUser: true,
    peer: r.tail.peer,
    port: r.tail.port,
    preauth: r.tail.preauth,
  };
}

function pamAuth(m: string): SshdFact | null {
  // "Authentication failure for USER from HOST[ via X]" (sshd's PAM error on BSD/macOS).
  const f = m.indexOf(' for ');
  if (f < 0 || f > 40) return null;
  const r = lastFrom(m, f + 5);
  if (r === undefined) return null;
  return { kind: 'fail', action: 'pam_auth_failure', user: r.user, peer: r.tail.peer, port: r.tail.port };
}

function notKnown(m: string): SshdFact | null {
  let start = 59;
  const illegal = m.startsWith('illegal user ', start) || m.startsWith('invalid user ', start);
  if (illegal) start += 13;
  const r = lastFrom(m, start);
  if (r === undefined) return null;
  return {
    kind: 'fail',
    action: 'pam_auth_failure',
    user: r.user,
    invalidUser: true,
    peer: r.tail.peer,
    port: r.tail.port,
  };
}

function userNotAllowed(m: string): SshdFact | null {
  const [s, preauth] = stripPreauth(m);
  const at = s.lastIndexOf(' not allowed because ');
  if (at < 0) return null;
  const reason = s.slice(at + 21);
  const pre = s.slice(5, at);
  const f = pre.lastIndexOf(' from ');
  if (f >= 0) {
    const host = pre.slice(f + 6);
    const peer = host.indexOf(' ') < 0 ? parsePeer(host) : undefined;
    if (peer !== undefined) {
      return { kind: 'fail', action: 'ssh_user_not_allowed', user: pre.slice(0, f), peer, reason, preauth };
    }
  }
  return { kind: 'fail', action: 'ssh_user_not_allowed', user: pre, reason, preauth };
}

function rootRefused(m: string): SshdFact | null {
  const t = tailAt(m, 24);
  if (t === undefined || !t.atEnd) return null;
  return {
    kind: 'fail',
    action: 'ssh_root_login_refused',
    user: 'root',
    peer: t.peer,
    port: t.port,
    preauth: t.preauth,
  };
}

function refusedConnect(m: string): SshdFact | null {
  // tcp_wrappers: "refused connect from NAME (ADDR)"; the name may be client text, the
  // parenthesized address at the end is not.
  if (!m.endsWith(')')) return null;
  const open = m.lastIndexOf(' (');
  if (open < 0) return null;
  const peer = parsePeer(m.slice(open + 2, -1));
  if (peer === undefined) return null;
  return { kind: 'fail', action: 'ssh_connection_refused', peer, network: true };
}

function maxAttempts(m: string): SshdFact | null {
  let start = 45;
  const invalid = m.startsWith('invalid user ', start);
  if (invalid) start += 13;
  const r = lastFrom(m, start);
  if (r === undefined) return null;
  return {
    kind: 'fail',
    action: 'ssh_max_auth_tries',
    user: r.user,
    invalidUser: invalid,
    peer: r.tail.peer,
    port: r.tail.port,
    preauth: r.tail.preauth,
  };
}

function tooMany(m: string): SshdFact {
  const [s, preauth] = stripPreauth(m);
  const user = s.startsWith(' for ', 47) ? s.slice(52) : undefined;
  return { kind: 'fail', action: 'ssh_max_auth_tries', user, preauth, reason: 'too many authentication failures' };
}

const DISCONNECTING_REASONS = [': Too many authentication failures', ': Change of username or service not allowed'];

/** `Disconnecting (invalid|authenticating) user USER HOST port N: REASON [preauth]`. */
function disconnecting(m: string): SshdFact | null {
  let u = 14;
  if (m.startsWith('from ', u)) u += 5;
  const invalid = m.startsWith('invalid user ', u);
  if (!invalid && !m.startsWith('authenticating user ', u)) return null;
  u += invalid ? 13 : 20;
  const fits: { peer: Peer; port: number; userEnd: number; reason: string }[] = [];
  for (let at = m.indexOf(' port ', u); at >= 0 && fits.length < 32; at = m.indexOf(' port ', at + 1)) {
    let k = at + 6;
    while (m.charCodeAt(k) >= 48 && m.charCodeAt(k) <= 57) k++;
    const port = toPort(m.slice(at + 6, k));
    const reason = DISCONNECTING_REASONS.find((r) => m.startsWith(r, k));
    if (port === undefined || reason === undefined) continue;
    const sp = m.lastIndexOf(' ', at - 1);
    if (sp < u - 1) continue;
    const peer = parsePeer(m.slice(sp + 1, at));
    if (peer !== undefined) fits.push({ peer, port, userEnd: sp, reason: reason.slice(2) });
  }
  if (fits.length === 0) return null;
  const f = fits[0]!;
  const action = f.reason.startsWith('Too many') ? 'ssh_max_auth_tries' : 'ssh_user_change';
  if (fits.length > 1)
    return { kind: 'fail', action, invalidUser: invalid, candidates: fits.map((x) => x.peer), preauth: true };
  return {
    kind: 'fail',
    action,
    user: m.slice(u, f.userEnd),
    invalidUser: invalid,
    peer: f.peer,
    port: f.port,
    reason: f.reason,
    preauth: m.endsWith('[preauth]'),
  };
}

/**
 * `Connection closed by [invalid|authenticating user USER ]HOST[ port N][ [preauth]]`, and the
 * same for `Connection reset by` / `Disconnected from [user USER ]`. The address is the last
 * token before ` port N`, after the (attacker-chosen) user.
 */
function closed(m: string, start: number): SshdFact | null {
  const [s, preauth] = stripPreauth(m);
  let end = s.length;
  let port: number | undefined;
  const p = s.lastIndexOf(' port ');
  if (p >= start) {
    port = toPort(s.slice(p + 6));
    if (port !== undefined) end = p;
  }
  const sp = s.lastIndexOf(' ', end - 1);
  const hostStart = sp < start ? start : sp + 1;
  const peer = parsePeer(s.slice(hostStart, end));
  if (peer === undefined) return null;
  let user: string | undefined;
  let invalid = false;
  if (hostStart > start) {
    const who = s.slice(start, hostStart - 1);
    if (who.startsWith('invalid user ')) {
      invalid = true;
      user = who.slice(13);
    } else if (who.startsWith('authenticating user ')) user = who.slice(20);
    else if (who.startsWith('user ')) user = who.slice(5);
    else return null;
  }
  return {
    kind: 'close',
    action: preauth ? 'ssh_preauth_disconnect' : 'ssh_disconnect',
    peer,
    port,
    user,
    invalidUser: invalid,
    preauth,
  };
}

function receivedDisconnect(m: string): SshdFact | null {
  const t = tailAt(m, 25);
  if (t === undefined) return null;
  let j = t.end;
  if (m.charCodeAt(j) === 58) j++;
  while (m.charCodeAt(j) === 32 || m.charCodeAt(j) === 58) j++;
  let k = j;
  while (m.charCodeAt(k) >= 48 && m.charCodeAt(k) <= 57) k++;
  const code = Number(m.slice(j, k));
  const [text] = stripPreauth(m.slice(k));
  const preauth = m.endsWith('[preauth]');
  if (code === 3 && text.endsWith(': Auth fail')) {
    return {
      kind: 'fail',
      action: 'ssh_auth_fail_disconnect',
      peer: t.peer,
      port: t.port,
      preauth,
      reason: 'client reported Auth fail',
    };
  }
  if (code === 14 && /^:\s*No (?:supported )?authentication methods available/.test(text)) {
    return { kind: 'fail', action: 'ssh_no_auth_methods', peer: t.peer, port: t.port, preauth };
  }
  return {
    kind: 'close',
    action: preauth ? 'ssh_preauth_disconnect' : 'ssh_disconnect',
    peer: t.peer,
    port: t.port,
    preauth,
  };
}

function connectionFrom(m: string): SshdFact | null {
  const t = tailAt(m, 16);
  if (t === undefined) return null;
  return { kind: 'info', action: 'ssh_connection', peer: t.peer, port: t.port };
}

function closeSession(m: string): SshdFact | null {
  const r = lastFrom(m.replace(/ id \d+$/, ''), 20);
  if (r === undefined) return null;
  return {
    kind: 'info',
    action: 'ssh_session_end',
    user: r.user,
    peer: r.tail.peer,
    port: r.tail.port,
    sessionEvent: 'end',
  };
}

/** Server text first, client text after: `PREFIX HOST port N...`. */
function network(m: string, start: number, action: string): SshdFact | null {
  const t = tailAt(m, start);
  if (t === undefined) return null;
  return { kind: 'fail', action, network: true, peer: t.peer, port: t.port };
}

function negotiate(m: string): SshdFact | null {
  if (m.startsWith('Unable to negotiate with ')) return network(m, 25, 'ssh_kex_error');
  return { kind: 'fail', action: 'ssh_kex_error', network: true };
}

function badProtocol(m: string): SshdFact | null {
  const r = lastFrom(m, 36);
  if (r === undefined) return null;
  return { kind: 'fail', action: 'ssh_kex_error', network: true, peer: r.tail.peer, port: r.tail.port };
}

function timeout(m: string): SshdFact | null {
  let start = 34;
  if (m.startsWith('connection from ', start)) start += 16;
  const sp = m.indexOf(' ', start);
  const peer = parsePeer(m.slice(start, sp < 0 ? m.length : sp));
  if (peer === undefined) return null;
  const port = m.startsWith(' port ', sp) ? toPort(m.slice(sp + 6).split(/[ ,]/)[0] ?? '') : undefined;
  return { kind: 'fail', action: 'ssh_auth_timeout', network: true, peer, port };
}

function ltype(m: string): SshdFact | null {
  const at = m.indexOf(';Remote: ');
  if (at < 0) return null;
  const end = m.indexOf(';', at + 9);
  const remote = m.slice(at + 9, end < 0 ? m.length : end);
  const dash = remote.lastIndexOf('-');
  const peer = parsePeer(dash > 0 ? remote.slice(0, dash) : remote);
  if (peer === undefined) return null;
  return { kind: 'info', action: 'ssh_connection', peer };
}

function magic(m: string): SshdFact | null {
  const r = lastFrom(m, 25);
  if (r === undefined) return null;
  return { kind: 'fail', action: 'ssh_kex_error', network: true, peer: r.tail.peer, port: r.tail.port };
}

function postponed(m: string): SshdFact | null {
  const sp = m.indexOf(' ', 10);
  if (sp < 0 || !m.startsWith(' for ', sp)) return null;
  const c = fromCandidates(m, sp + 4)[0];
  if (c === undefined) return null;
  return {
    kind: 'info',
    action: 'ssh_auth_postponed',
    user: m.slice(sp + 5, c.at),
    peer: c.tail.peer,
    port: c.tail.port,
  };
}

function address(m: string): SshdFact | null {
  const sp = m.indexOf(' ', 8);
  const peer = parsePeer(m.slice(8, sp < 0 ? m.length : sp));
  if (peer === undefined) return null;
  return { kind: 'info', action: 'ssh_reverse_mapping_mismatch', peer };
}

function pam(m: string): SshdFact | null {
  const f = parsePamFailure(m);
  if (f !== null) {
    const user = f.user ?? f.ruser;
    // Legacy "(pam_unix)" records are counted as they are; current pam_unix(sshd:auth)
    // records are followed by sshd's own "Failed password" line for the same attempt.
    const kind = f.legacy ? 'fail' : 'nofail';
    const reason = f.legacy ? undefined : 'counted by the sshd line of the same attempt';
    if (f.ambiguous !== undefined) return { kind, action: 'pam_auth_failure', candidates: f.ambiguous, reason };
    return { kind, action: 'pam_auth_failure', user, peer: f.peer, reason, preauth: m.endsWith('[preauth]') };
  }
  const s = /^pam_unix\(sshd:session\): session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by |$)/.exec(m);
  if (s !== null) {
    const start = s[1] === 'opened';
    return {
      kind: 'info',
      action: start ? 'ssh_session_start' : 'ssh_session_end',
      user: s[2],
      sessionEvent: start ? 'start' : 'end',
    };
  }
  return { kind: 'info', action: undefined };
}
