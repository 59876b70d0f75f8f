import type { EcsEvent } from '../../core/event.js';
import { parsePeer, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, TYPE_START } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

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
      const max = / Max auth tries reached - user '(.*)' from \S+$/.exec(m);
      if (max !== null) {
        action = 'ssh_max_auth_tries';
        outcome = 'failure';
        ev['user.name'] = max[1]!;
      } else {
        ev['event.category'] = NETWORK;
        ev['event.action'] = 'ssh_preauth_disconnect';
        const fm = /^Exit before auth from <([^>]+)>/.exec(m);
        if (fm !== null) {
          const { host, port } = splitHostPort(fm[1]!, true);
          const peer = parsePeer(host);
          if (peer !== undefined) {
            if ('ip' in peer) ev['source.ip'] = peer.ip;
            else ev['source.address'] = peer.address;
            if (port !== undefined) ev['source.port'] = port;
          }
        }
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
