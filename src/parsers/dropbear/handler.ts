import type { EcsEvent } from '../../core/event.js';
import { parsePeer, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, TYPE_START } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/** The rest of newer dropbear's `Exit before auth from <...>: ` when it gave up on too many tries. */
const MAX_TRIES_AFTER_PEER = /^(?:\(user '(.*)', \d+ fails\): )?Max auth tries reached - user '(.*)'$/;

/**
 * `... from HOST:PORT` at the end of the line: the quoted user name before it is client text,
 * so the address is read from the last ` from ` (dropbear always appends the port).
 */
function endPeer(msg: string, ev: EcsEvent): boolean {
  const at = msg.lastIndexOf(' from ');
  if (at < 0) return false;
  const text = msg.slice(at + 6);
  if (text.indexOf(' ') >= 0) return false;
  const { host, port } = splitHostPort(text, true);
  const peer = parsePeer(host);
  if (peer === undefined) return false;
  if ('ip' in peer) ev['source.ip'] = peer.ip;
  else ev['source.address'] = peer.address;
  if (port !== undefined) ev['source.port'] = port;
  return true;
}

function quotedUser(msg: string, start: number): string | undefined {
  const q = msg.indexOf("'", start);
  if (q < 0) return undefined;
  const end = msg.lastIndexOf("' from ");
  return end > q ? msg.slice(q + 1, end) : undefined;
}

/**
 * dropbear's own stderr stamp (`[825] Jul 10 23:53:52 `), kept when its stderr is forwarded to
 * syslog (`-E` under a supervisor): skipped, the envelope already has the time.
 */
const OWN_STAMP = /^\[\d{1,10}\] [A-Z][a-z]{2} [ \d]?\d \d\d:\d\d:\d\d /;

/** dropbear SSH server messages. */
export function createDropbearHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'dropbear';
    let m = env.msg;
    if (m.charCodeAt(0) === 91) {
      const stamp = OWN_STAMP.exec(m);
      if (stamp !== null) m = m.slice(stamp[0].length);
    }
    const lower = m.charCodeAt(0) | 0x20;
    let action: string | undefined;
    let outcome: 'success' | 'failure' | undefined;
    if (lower === 98 && /^[Bb]ad password attempt for '/.test(m)) {
      action = 'ssh_login';
      outcome = 'failure';
      ev['leuko.ssh.method'] = 'password';
      const u = quotedUser(m, 0);
      if (u !== undefined) ev['user.name'] = u;
    } else if (lower === 108 && /^[Ll]ogin attempt for nonexistent user/.test(m)) {
      action = 'ssh_invalid_user';
      outcome = 'failure';
      ev['leuko.ssh.invalid_user'] = true;
      const u = quotedUser(m, 0);
      if (u !== undefined) ev['user.name'] = u;
    } else if (m.startsWith('Exit before auth')) {
      // The older form puts the client last; the newer one first (`from <...>`), where it wins.
      const max = m.startsWith('Exit before auth from <')
        ? null
        : / Max auth tries reached - user '(.*)' from \S+$/.exec(m);
      if (max !== null) {
        action = 'ssh_max_auth_tries';
        outcome = 'failure';
        ev['user.name'] = max[1]!;
      } else {
        // Newer dropbear names the client first, before any text the client chose:
        // `Exit before auth from <IP:PORT>: (user 'root', 10 fails): Max auth tries reached - user 'root'`.
        const fm = /^Exit before auth from <([^>]+)>: /.exec(m);
        if (fm !== null) {
          const { host, port } = splitHostPort(fm[1]!, true);
          const peer = parsePeer(host);
          if (peer !== undefined) {
            if ('ip' in peer) ev['source.ip'] = peer.ip;
            else ev['source.address'] = peer.address;
            if (port !== undefined) ev['source.port'] = port;
          }
        }
        const tries = fm === null ? null : MAX_TRIES_AFTER_PEER.exec(m.slice(fm[0].length));
        if (tries === null) {
          ev['event.category'] = NETWORK;
          ev['event.action'] = 'ssh_preauth_disconnect';
          return true;
        }
        ev['event.category'] = AUTHENTICATION;
        ev['event.action'] = 'ssh_max_auth_tries';
        ev['event.outcome'] = 'failure';
        // `user 'is invalid'` is dropbear's wording for a name that does not exist.
        const user = tries[1] ?? (tries[2] === 'is invalid' ? undefined : tries[2]);
        if (user !== undefined) ev['user.name'] = user;
        return true;
      }
    } else if (/^(?:Password|Pubkey) auth succeeded for '/.test(m)) {
      action = 'ssh_login';
      outcome = 'success';
      ev['event.type'] = TYPE_START;
      ev['leuko.ssh.method'] = m.startsWith('Password') ? 'password' : 'publickey';
      const q = m.indexOf("'");
      const e = m.indexOf("'", q + 1);
      if (e > q) ev['user.name'] = m.slice(q + 1, e);
    } else if (m.startsWith('Child connection from ')) {
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'ssh_connection';
      endPeer(m, ev);
      return true;
    } else return true;
    ev['event.category'] = AUTHENTICATION;
    ev['event.action'] = action;
    ev['event.outcome'] = outcome;
    endPeer(m, ev);
    return true;
  };
}
