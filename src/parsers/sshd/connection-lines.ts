import { type Peer, parsePeer, peerAt, toPort, toPortAt } from '../shared/address.js';
import { fact, type SshdFact } from './facts.js';
import { lastFrom, preauthEnd, tailAt, userBefore } from './tail.js';

/** A pre-auth protocol failure (network category), with the address when known. */
export function netFail(action: string, peer?: Peer, port?: number): SshdFact {
  const f = fact('fail', action, peer, port);
  f.network = true;
  return f;
}

/**
 * `Connection closed by [invalid|authenticating user USER ]HOST[ port N][ [preauth]]`, and the
 * same for `Connection reset by` / `Disconnected from [user USER ]`. The address is the last
 * token before ` port N`, after the (attacker-chosen) user.
 */
export function closed(m: string, start: number): SshdFact | null {
  const sEnd = preauthEnd(m);
  const preauth = sEnd !== m.length;
  let end = sEnd;
  let port: number | undefined;
  const p = sEnd >= 6 ? m.lastIndexOf(' port ', sEnd - 6) : -1;
  if (p >= start) {
    port = toPortAt(m, p + 6, sEnd);
    if (port !== undefined) end = p;
  }
  const sp = m.lastIndexOf(' ', end - 1);
  const hostStart = sp < start ? start : sp + 1;
  const peer = peerAt(m, hostStart, end);
  if (peer === undefined) return null;
  let user: string | undefined;
  let invalid = false;
  if (hostStart > start) {
    // The words before the address: `invalid user USER`, `authenticating user USER`, `user USER`.
    const whoLen = hostStart - 1 - start;
    if (whoLen >= 13 && m.startsWith('invalid user ', start)) {
      invalid = true;
      user = m.slice(start + 13, hostStart - 1);
    } else if (whoLen >= 20 && m.startsWith('authenticating user ', start)) user = m.slice(start + 20, hostStart - 1);
    else if (whoLen >= 5 && m.startsWith('user ', start)) user = m.slice(start + 5, hostStart - 1);
    else return null;
  }
  const f = fact('close', preauth ? 'ssh_preauth_disconnect' : 'ssh_disconnect', peer, port);
  f.user = user;
  f.invalidUser = invalid;
  f.preauth = preauth;
  return f;
}

const NO_AUTH_METHODS = /^:\s*No (?:supported )?authentication methods available/;

export function receivedDisconnect(m: string): SshdFact | null {
  const t = tailAt(m, 25);
  if (t === undefined) return null;
  let j = t.end;
  if (m.charCodeAt(j) === 58) j++;
  while (m.charCodeAt(j) === 32 || m.charCodeAt(j) === 58) j++;
  let k = j;
  let code = 0;
  while (m.charCodeAt(k) >= 48 && m.charCodeAt(k) <= 57) {
    code = code * 10 + m.charCodeAt(k) - 48;
    k++;
  }
  // The reason text after the code, without sshd's ` [preauth]`.
  const textEnd = m.length - k >= 10 && m.endsWith(' [preauth]') ? m.length - 10 : m.length;
  const preauth = m.endsWith('[preauth]');
  if (code === 3 && textEnd - k >= 11 && m.startsWith(': Auth fail', textEnd - 11)) {
    const f = fact('fail', 'ssh_auth_fail_disconnect', t.peer, t.port);
    f.preauth = preauth;
    f.reason = 'client reported Auth fail';
    return f;
  }
  if (code === 14 && NO_AUTH_METHODS.test(m.slice(k, textEnd))) {
    const f = fact('fail', 'ssh_no_auth_methods', t.peer, t.port);
    f.preauth = preauth;
    return f;
  }
  const f = fact('close', preauth ? 'ssh_preauth_disconnect' : 'ssh_disconnect', t.peer, t.port);
  f.preauth = preauth;
  return f;
}

export function connectionFrom(m: string): SshdFact | null {
  const t = tailAt(m, 16);
  return t === undefined ? null : fact('info', 'ssh_connection', t.peer, t.port);
}

export function closeSession(m: string): SshdFact | null {
  const s = m.replace(/ id \d+$/, '');
  const t = lastFrom(s, 20);
  if (t === undefined) return null;
  const f = fact('info', 'ssh_session_end', t.peer, t.port);
  f.user = userBefore(s, 20, t);
  f.sessionEvent = 'end';
  return f;
}

/** Server text first, client text after: `PREFIX HOST port N...`. */
export function network(m: string, start: number, action: string): SshdFact | null {
  const t = tailAt(m, start);
  return t === undefined ? null : netFail(action, t.peer, t.port);
}

export function negotiate(m: string): SshdFact | null {
  if (m.startsWith('Unable to negotiate with ')) return network(m, 25, 'ssh_kex_error');
  return netFail('ssh_kex_error');
}

export function badProtocol(m: string): SshdFact | null {
  const t = lastFrom(m, 36);
  return t === undefined ? null : netFail('ssh_kex_error', t.peer, t.port);
}

export function timeout(m: string): SshdFact | null {
  let start = 34;
  if (m.startsWith('connection from ', start)) start += 16;
  const sp = m.indexOf(' ', start);
  const peer = peerAt(m, start, sp < 0 ? m.length : sp);
  if (peer === undefined) return null;
  const port = m.startsWith(' port ', sp) ? toPort(m.slice(sp + 6).split(/[ ,]/)[0] ?? '') : undefined;
  const f = fact('fail', 'ssh_auth_timeout', peer, port);
  f.network = true;
  return f;
}

export function ltype(m: string): SshdFact | null {
  const at = m.indexOf(';Remote: ');
  if (at < 0) return null;
  const end = m.indexOf(';', at + 9);
  const remote = m.slice(at + 9, end < 0 ? m.length : end);
  const dash = remote.lastIndexOf('-');
  const peer = parsePeer(dash > 0 ? remote.slice(0, dash) : remote);
  return peer === undefined ? null : fact('info', 'ssh_connection', peer);
}

export function magic(m: string): SshdFact | null {
  const t = lastFrom(m, 25);
  return t === undefined ? null : netFail('ssh_kex_error', t.peer, t.port);
}

export function address(m: string): SshdFact | null {
  const sp = m.indexOf(' ', 8);
  const peer = peerAt(m, 8, sp < 0 ? m.length : sp);
  return peer === undefined ? null : fact('info', 'ssh_reverse_mapping_mismatch', peer);
}

export function refusedConnect(m: string): SshdFact | null {
  // tcp_wrappers: "refused connect from NAME (ADDR)"; the name may be client text, the
  // parenthesized address at the end is not.
  if (!m.endsWith(')')) return null;
  const open = m.lastIndexOf(' (');
  if (open < 0) return null;
  const peer = parsePeer(m.slice(open + 2, -1));
  return peer === undefined ? null : netFail('ssh_connection_refused', peer);
}

/**
 * The listener refusing a connection before it starts (OpenSSH 9.8+):
 * `drop connection #N from [ADDR]:PORT on [LOCAL]:PORT REASON`. With a PerSourcePenalties
 * reason (`penalty: failed authentication`, `penalty: exceeded LoginGraceTime`...) the address
 * is still being penalised for its own earlier misbehaviour: a failure (network category, so
 * login counts are not doubled). `past Maxstartups` drops whoever connects during a flood, a
 * legitimate client too: kept as a plain closed connection. sshd writes all of it; no client
 * text is in the line.
 */
export function dropConnection(m: string): SshdFact | null {
  const from = m.indexOf(' from [', 17);
  if (from < 0) return null;
  const close = m.indexOf(']:', from + 7);
  if (close < 0) return null;
  const peer = peerAt(m, from + 7, close);
  if (peer === undefined) return null;
  const portEnd = m.indexOf(' ', close + 2);
  if (portEnd < 0) return null;
  const port = toPortAt(m, close + 2, portEnd);
  if (!m.startsWith(' on [', portEnd)) return null;
  // The reason follows the local address: `... on [LOCAL]:PORT REASON`.
  const local = m.indexOf(']:', portEnd);
  const reasonAt = local < 0 ? -1 : m.indexOf(' ', local + 2);
  const reason = reasonAt < 0 ? undefined : m.slice(reasonAt + 1);
  const penalty = reason?.startsWith('penalty: ') === true;
  const f = penalty ? netFail('ssh_penalty_drop', peer, port) : fact('close', 'ssh_connection_dropped', peer, port);
  f.reason = reason;
  return f;
}

/**
 * sshd starting or raising a per-source penalty (OpenSSH 9.8+, logged by `srclimit_penalise`):
 * `ipv4: new ADDR/BITS active penalty of N seconds for penalty: REASON` or
 * `ADDR/BITS: activating ipv4 penalty of N seconds for penalty: REASON`. Kept for the record
 * (what sshd thought of the address and why); the failures behind it are counted on their own
 * lines. The address is taken only when the penalised block is one host (/32, /128).
 */
export function penalty(m: string): SshdFact | null {
  const f = fact('info', 'ssh_penalty');
  const reasonAt = m.indexOf(' for penalty: ');
  if (reasonAt > 0) f.reason = m.slice(reasonAt + 5);
  let i = 19;
  if (m.startsWith('ipv4: new ', i) || m.startsWith('ipv6: new ', i)) i += 10;
  const end = m.indexOf(' ', i);
  const block = end < 0 ? '' : m.slice(i, m.charCodeAt(end - 1) === 58 ? end - 1 : end);
  const slash = block.indexOf('/');
  const bits = block.slice(slash + 1);
  if (slash > 0 && (bits === '32' || bits === '128')) f.peer = parsePeer(block.slice(0, slash));
  return f;
}
