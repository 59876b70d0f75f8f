import type { EcsEvent } from '../../core/event.js';
import { setSource, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION, NETWORK } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * OpenLDAP's slapd writes one record per step of a connection, each led by `conn=N`; only the
 * first names the client: `conn=N fd=F ACCEPT from IP=ADDR:PORT (IP=LOCAL:PORT)`. A failed bind
 * is `conn=N op=M RESULT tag=97 err=49 text=...` (invalidCredentials), its dn in the `BIND`
 * record of the same op before it. The address therefore comes from the connection's ACCEPT,
 * which slapd writes before the client has sent anything; a dn only ever becomes a user name.
 */
const CONN = /^conn=(\d+) /;
const ACCEPT = /^fd=\d+ ACCEPT from IP=(\S+) \(IP=\S+\)$/;
const CLOSED = /^fd=\d+ closed\b/;
const BIND = /^op=(\d+) BIND dn="(.*)" method=\d+$/;
/** `RESULT` and its fields up to `err=`: `tag=97`, and from 2.5 on `qtime=` / `etime=` may stand first. */
const RESULT = /^op=(\d+) RESULT((?: (?!err=)\S+=\S*)*) err=(\d+)(?: |$)/;
const TAG = /(?:^| )tag=(\d+)(?: |$)/;
/** LDAP's bind response and invalidCredentials (RFC 4511). */
const BIND_RESPONSE = '97';
const INVALID_CREDENTIALS = '49';

/** Open connections remembered; a busy directory keeps this many clients apart. */
const MAX_CONNECTIONS = 4096;

interface Connection {
  readonly addr: string;
  readonly port: number | undefined;
  /** The dn and op of the connection's last BIND. */
  bindOp?: string;
  dn?: string;
}

function setClient(ev: EcsEvent, c: Connection): void {
  setSource(ev, c.addr, c.port);
}

/** slapd through syslog: failed and successful binds with their client (fail2ban's slapd). */
export function createSlapdHandler(): ProgramHandler {
  const open = new Map<string, Connection>();
  const handler: ProgramHandler = (env, ev) => {
    ev['event.dataset'] = 'slapd';
    const head = CONN.exec(env.msg);
    if (head === null) return true;
    // Connection numbers start over when slapd restarts, under a new pid.
    const key = `${env.pid ?? ''}:${head[1]}`;
    const rest = env.msg.slice(head[0].length);
    const a = ACCEPT.exec(rest);
    if (a !== null) {
      const { host, port } = splitHostPort(a[1]!, true);
      const c: Connection = { addr: host, port };
      open.delete(key);
      open.set(key, c);
      if (open.size > MAX_CONNECTIONS) open.delete(open.keys().next().value!);
      setClient(ev, c);
      ev['event.category'] = NETWORK;
      ev['event.action'] = 'ldap_connection';
      return true;
    }
    const c = open.get(key);
    if (c === undefined) return true;
    setClient(ev, c);
    if (CLOSED.test(rest)) {
      open.delete(key);
      return true;
    }
    const b = BIND.exec(rest);
    if (b !== null) {
      c.bindOp = b[1]!;
      c.dn = b[2]!;
      return true;
    }
    const r = RESULT.exec(rest);
    if (r === null) return true;
    const tag = TAG.exec(r[2]!)?.[1];
    if (tag !== undefined && tag !== BIND_RESPONSE) return true;
    if (tag === undefined && r[3] !== INVALID_CREDENTIALS) return true;
    const dn = c.bindOp === r[1] ? c.dn : undefined;
    if (r[3] === INVALID_CREDENTIALS) {
      ev['event.category'] = AUTHENTICATION;
      ev['event.action'] = 'ldap_auth_failure';
      ev['event.outcome'] = 'failure';
      if (dn !== undefined && dn.length > 0) ev['user.name'] = dn;
    } else if (r[3] === '0' && dn !== undefined && dn.length > 0) {
      // An anonymous bind (empty dn) is how most clients start: not a login.
      ev['event.category'] = AUTHENTICATION;
      ev['event.action'] = 'ldap_login';
      ev['event.outcome'] = 'success';
      ev['user.name'] = dn;
    }
    return true;
  };
  handler.snapshot = () =>
    open.size === 0
      ? undefined
      : [...open].map(([k, c]) => [k, c.addr, c.port ?? null, c.bindOp ?? null, c.dn ?? null]);
  handler.restore = (state) => {
    if (!Array.isArray(state)) return;
    for (const row of state) {
      if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string') continue;
      const c: Connection = { addr: row[1], port: typeof row[2] === 'number' ? row[2] : undefined };
      if (typeof row[3] === 'string' && typeof row[4] === 'string') {
        c.bindOp = row[3];
        c.dn = row[4];
      }
      open.set(row[0], c);
    }
  };
  return handler;
}
