import type { EcsEvent } from '../../core/event.js';
import { type Peer, parsePeer, peerText, setPeer } from '../shared/address.js';
import { AUTHENTICATION, NETWORK, SESSION, TYPE_END, TYPE_START } from '../shared/stream.js';
import type { SshdFact } from './facts.js';

interface Pending {
  readonly action: string;
  readonly network: boolean;
  readonly user: string | undefined;
}

class Connection {
  peer: Peer | undefined = undefined;
  port: number | undefined = undefined;
  readonly users: string[] = [];
  pending: Pending | undefined = undefined;
}

/**
 * One remembered connection as `snapshot` writes it: host ('' for none), pid (null for none),
 * address, port, user names tried, and a failure still waiting for its address.
 */
type ConnectionRow = [string, number | null, string | null, number | null, string[], Pending | null];

function isPending(x: unknown): x is Pending {
  if (typeof x !== 'object' || x === null) return false;
  const p = x as Record<string, unknown>;
  return (
    typeof p.action === 'string' &&
    typeof p.network === 'boolean' &&
    (p.user === undefined || p.user === null || typeof p.user === 'string')
  );
}

/** The correlator of one stream: `apply` per line, `snapshot`/`restore` across a restart. */
export interface SshdCorrelator {
  /** Fill `ev` from the fact of a line of `host` `sshd[pid]`; false when the line must be dropped (address ambiguous). */
  apply(host: string | undefined, pid: number | undefined, f: SshdFact, ev: EcsEvent): boolean;
  /** The remembered connections (undefined when none), for `restore` in a new process. */
  snapshot(): ConnectionRow[] | undefined;
  /** Take back a `snapshot`; rows that do not read as one are skipped. */
  restore(rows: unknown): void;
}

/** Bound on remembered connections, so a flood of pids cannot grow memory without limit. */
const MAX_CONNECTIONS = 20_000;
const MAX_USERS = 16;
/**
 * Connection keys are small integers `(pid + 1) * HOST_SLOTS + hostId` for the first hosts and
 * pids below PID_LIMIT (always, on Linux), so the per-line lookup hashes no string; other
 * connections fall back to the text `host|pid`. Both forms are one-to-one with (host, pid).
 */
const HOST_SLOTS = 64;
const PID_LIMIT = 2 ** 24 - 1;

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
export function createSshdCorrelator(): SshdCorrelator {
  const conns = new Map<number | string, Connection>();
  const hostIds = new Map<string, number>();
  let lastHost: string | undefined;
  let lastHostId = -1;
  // An empty connection for a line whose connection is not remembered; it is only stored (and
  // replaced) when the line leaves something to remember, so most lines allocate nothing here.
  let spare = new Connection();

  // Evictions walk one long-lived iterator: every entry before its position has been evicted
  // already (a Map iterator skips deleted entries and sees later insertions), so its next
  // entry is the oldest one. A fresh `keys().next()` would step over all the deleted slots at
  // the head of the table on every eviction of a full map: O(n) per line under a pid flood.
  let evictor = conns.keys();
  function evictOldest(): void {
    let next = evictor.next();
    if (next.done === true) {
      evictor = conns.keys();
      next = evictor.next();
    }
    if (next.done !== true) conns.delete(next.value);
  }

  function keyOf(host: string | undefined, pid: number | undefined): number | string {
    const h = host ?? '';
    if (h !== lastHost) {
      let id = hostIds.get(h);
      if (id === undefined) {
        id = hostIds.size < HOST_SLOTS ? hostIds.size : -1;
        if (id >= 0) hostIds.set(h, id);
      }
      lastHost = h;
      lastHostId = id;
    }
    if (pid === undefined) return lastHostId >= 0 ? lastHostId : `${h}|`;
    if (lastHostId >= 0 && pid < PID_LIMIT && Number.isInteger(pid) && pid >= 0)
      return (pid + 1) * HOST_SLOTS + lastHostId;
    return `${h}|${pid}`;
  }

  /** Host and pid of a connection key (the inverse of keyOf); `hostOf` maps host ids back. */
  function hostPidOf(key: number | string, hostOf: readonly string[]): [string, number | null] {
    if (typeof key === 'string') {
      const bar = key.lastIndexOf('|');
      const pid = key.slice(bar + 1);
      return [key.slice(0, bar), pid === '' ? null : Number(pid)];
    }
    return [hostOf[key % HOST_SLOTS] ?? '', key < HOST_SLOTS ? null : Math.floor(key / HOST_SLOTS) - 1];
  }

  function snapshot(): ConnectionRow[] | undefined {
    if (conns.size === 0) return undefined;
    const hostOf: string[] = [];
    for (const [h, id] of hostIds) hostOf[id] = h;
    const rows: ConnectionRow[] = [];
    for (const [key, c] of conns) {
      const [host, pid] = hostPidOf(key, hostOf);
      rows.push([
        host,
        pid,
        c.peer === undefined ? null : peerText(c.peer),
        c.port ?? null,
        [...c.users],
        c.pending ?? null,
      ]);
    }
    return rows;
  }

  function restore(rows: unknown): void {
    if (!Array.isArray(rows)) return;
    // Oldest first, as they were remembered: eviction keeps forgetting the oldest.
    for (const row of rows.slice(-MAX_CONNECTIONS)) {
      if (!Array.isArray(row)) continue;
      const [host, pid, peer, port, users, pending] = row as unknown[];
      if (typeof host !== 'string') continue;
      if (pid !== null && (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 0)) continue;
      const c = new Connection();
      if (typeof peer === 'string') c.peer = parsePeer(peer);
      if (typeof port === 'number' && Number.isInteger(port)) c.port = port;
      if (Array.isArray(users))
        for (const u of users) if (typeof u === 'string' && c.users.length < MAX_USERS) c.users.push(u);
      if (isPending(pending))
        c.pending = { action: pending.action, network: pending.network, user: pending.user ?? undefined };
      conns.set(keyOf(host, pid === null ? undefined : (pid as number)), c);
    }
    evictor = conns.keys();
  }

  /** Fill `ev` from the fact of a line of `host` `sshd[pid]`; false when the line must be dropped (address ambiguous). */
  function apply(host: string | undefined, pid: number | undefined, f: SshdFact, ev: EcsEvent): boolean {
    const key = keyOf(host, pid);
    let c = conns.get(key);
    const stored = c !== undefined;
    if (c === undefined) {
      // The oldest connection makes room even when this line ends up storing nothing.
      if (conns.size >= MAX_CONNECTIONS) evictOldest();
      c = spare;
      c.peer = undefined;
      c.port = undefined;
      c.users.length = 0;
      c.pending = undefined;
    }
    let peer = f.peer;
    let port = f.port;
    if (peer === undefined && f.candidates !== undefined) {
      // Attacker text made several readings fit: only an address this connection already
      // showed on an unambiguous line may pick one. Never guess.
      const known = c.peer !== undefined ? peerText(c.peer) : undefined;
      const hit = known === undefined ? undefined : f.candidates.find((p) => peerText(p) === known);
      if (hit === undefined) {
        // The connection is remembered (empty) all the same, as a lookup of it would.
        if (!stored) {
          conns.set(key, c);
          spare = new Connection();
        }
        return false;
      }
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
        if (stored) conns.delete(key);
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
        if (f.kind === 'close' && stored) conns.delete(key);
        break;
    }
    if (f.kind === 'success' || f.kind === 'close') return true;
    if (c.users.length === 0 && c.peer === undefined && c.pending === undefined) {
      if (stored) conns.delete(key);
    } else if (!stored) {
      conns.set(key, c);
      spare = new Connection();
    }
    return true;
  }

  return { apply, snapshot, restore };
}
