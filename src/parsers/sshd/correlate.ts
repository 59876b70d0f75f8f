import type { EcsEvent } from '../../core/event.js';
import { type Peer, peerText, setPeer } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, SESSION, TYPE_END, TYPE_START } from '../shared/stream.js';
import type { SshdFact } from './facts.js';

interface Connection {
  peer: Peer | undefined;
  port: number | undefined;
  users: string[];
  pending: { action: string; network: boolean; user: string | undefined } | undefined;
}

/** Bound on remembered connections, so a flood of pids cannot grow memory without limit. */
const MAX_CONNECTIONS = 20_000;
const MAX_USERS = 16;

/**
 * Per-stream memory of sshd connections (`host` + `sshd[pid]`), the same idea as fail2ban's
 * multi-line failure id:
 * - a failure logged without an address (`Disconnecting: Too many authentication failures`,
 *   `User root not allowed because account is locked`, `kex_exchange_identification: ...`)
 *   takes it from an earlier line of the connection, or waits for the next line that has it;
 * - `nofail` lines count once the connection has tried more than one user name (an attacker
 *   cannot reset its failures by finally logging in as another user);
 * - a close or an accepted login forgets the connection.
 */
export function createSshdCorrelator() {
  const conns = new Map<string, Connection>();

  function get(key: string): Connection {
    let c = conns.get(key);
    if (c === undefined) {
      if (conns.size >= MAX_CONNECTIONS) {
        const oldest = conns.keys().next().value;
        if (oldest !== undefined) conns.delete(oldest);
      }
      c = { peer: undefined, port: undefined, users: [], pending: undefined };
      conns.set(key, c);
    }
    return c;
  }

  /** Fill `ev` from the fact; false when the line must be dropped (address ambiguous). */
  return function apply(key: string, f: SshdFact, ev: EcsEvent): boolean {
    const c = get(key);
    let peer = f.peer;
    let port = f.port;
    if (peer === undefined && f.candidates !== undefined) {
      // Attacker text made several readings fit: only an address this connection already
      // showed on an unambiguous line may pick one. Never guess.
      const known = c.peer !== undefined ? peerText(c.peer) : undefined;
      const hit = known === undefined ? undefined : f.candidates.find((p) => peerText(p) === known);
      if (hit === undefined) return false;
      peer = hit;
      port = c.port;
    }
    if (peer !== undefined) {
      c.peer = peer;
      if (port !== undefined) c.port = port;
    }
    if (f.user !== undefined && f.user !== '' && !c.users.includes(f.user) && c.users.length < MAX_USERS) {
      c.users.push(f.user);
    }
    if (f.action !== undefined) ev['event.action'] = f.action;
    if (f.level !== undefined) ev['log.level'] = f.level;
    if (f.user !== undefined) ev['user.name'] = f.user;
    if (f.method !== undefined) ev['leuko.ssh.method'] = f.method;
    if (f.invalidUser === true) ev['leuko.ssh.invalid_user'] = true;
    if (f.preauth === true) ev['leuko.ssh.preauth'] = true;
    if (f.reason !== undefined) ev['event.reason'] = f.reason;
    const known = peer ?? c.peer;
    const knownPort = peer !== undefined ? port : c.port;

    switch (f.kind) {
      case 'fail':
        ev['event.category'] = f.network === true ? NETWORK : AUTHENTICATION;
        ev['event.outcome'] = 'failure';
        if (known !== undefined) {
          setPeer(ev, known, knownPort);
          if (peer === undefined) ev['leuko.correlated'] = true;
          c.pending = undefined;
        } else c.pending = { action: f.action ?? 'ssh_failure', network: f.network === true, user: f.user };
        break;
      case 'nofail':
        ev['event.category'] = AUTHENTICATION;
        if (known !== undefined) setPeer(ev, known, knownPort);
        if (c.users.length > 1) {
          ev['event.outcome'] = 'failure';
          ev['event.reason'] = `several user names tried on one connection: ${c.users.join(', ')}`;
        } else ev['event.outcome'] = 'unknown';
        break;
      case 'success':
        ev['event.category'] = AUTHENTICATION;
        if (known !== undefined) setPeer(ev, known, knownPort);
        if (c.users.length > 1) {
          ev['event.outcome'] = 'failure';
          ev['event.action'] = 'ssh_login_after_failures';
          ev['event.reason'] =
            `login accepted after failed attempts for other users on the same connection: ${c.users.join(', ')}`;
        } else {
          ev['event.outcome'] = 'success';
          ev['event.type'] = TYPE_START;
        }
        conns.delete(key);
        break;
      case 'close':
      case 'info':
        if (f.sessionEvent !== undefined) {
          ev['event.category'] = SESSION;
          ev['event.type'] = f.sessionEvent === 'start' ? TYPE_START : TYPE_END;
        } else if (f.action !== undefined) ev['event.category'] = f.kind === 'close' ? NETWORK : AUTHENTICATION;
        if (peer !== undefined) setPeer(ev, peer, port);
        if (c.pending !== undefined && peer !== undefined) {
          // The address of an earlier failure of this connection shows up only now.
          ev['event.action'] = c.pending.action;
          ev['event.category'] = c.pending.network ? NETWORK : AUTHENTICATION;
          ev['event.outcome'] = 'failure';
          ev['leuko.correlated'] = true;
          if (c.pending.user !== undefined && f.user === undefined) ev['user.name'] = c.pending.user;
          c.pending = undefined;
        }
        if (f.kind === 'close') conns.delete(key);
        break;
    }
    if (c.users.length === 0 && c.peer === undefined && c.pending === undefined) conns.delete(key);
    return true;
  };
}
