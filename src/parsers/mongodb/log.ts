import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource, splitHostPort } from '../shared/address.js';
import { DATABASE_AUTH, NETWORK, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';

/**
 * MongoDB's log: the structured JSON of 4.4 and later
 * (`{"t":{"$date":...},"s":"I","c":"ACCESS","ctx":"conn5","msg":"Authentication failed","attr":{"remote":"IP:PORT",...}}`)
 * and the text of earlier versions. The client (`remote`, `from client IP:PORT`, or the
 * connection's `end connection IP:PORT`) is the server's own view; the user and database
 * names are the client's text.
 */

/** A MongoDB 4.4+ log document: undefined when `doc` is not one. */
export function mongoJsonEvent(stream: Stream, line: string, doc: Record<string, unknown>): ParsedLine | undefined {
  const t = doc.t as { $date?: unknown } | undefined;
  if (typeof t !== 'object' || t === null || typeof t.$date !== 'string') return undefined;
  if (typeof doc.c !== 'string' || typeof doc.msg !== 'string' || typeof doc.s !== 'string') return undefined;
  const iso = isoAt(t.$date, 0, stream.local);
  const time = iso === undefined ? stream.ctx.clock.now() : iso[0];
  const ev = stream.event(line, time, 'mongodb');
  ev['log.level'] = doc.s;
  ev['leuko.mongodb.component'] = doc.c;
  if (typeof doc.ctx === 'string') ev['leuko.mongodb.context'] = doc.ctx;
  ev['leuko.json.message'] = doc.msg;
  const attr = (typeof doc.attr === 'object' && doc.attr !== null ? doc.attr : {}) as Record<string, unknown>;
  const remote = typeof attr.remote === 'string' ? attr.remote : undefined;
  if (remote !== undefined) client(ev, remote);
  const user =
    typeof attr.principalName === 'string' ? attr.principalName : typeof attr.user === 'string' ? attr.user : undefined;
  const db =
    typeof attr.authenticationDatabase === 'string'
      ? attr.authenticationDatabase
      : typeof attr.db === 'string'
        ? attr.db
        : undefined;
  if (
    doc.c === 'ACCESS' &&
    (doc.msg === 'Authentication failed' ||
      doc.msg === 'Successfully authenticated' ||
      doc.msg === 'Authentication succeeded')
  ) {
    const ok = doc.msg !== 'Authentication failed';
    ev['event.category'] = DATABASE_AUTH;
    ev['event.action'] = ok ? 'db_login' : 'db_auth_failure';
    ev['event.outcome'] = ok ? 'success' : 'failure';
    // MongoDB users belong to a database: `root@admin` and `root@test` are two accounts.
    if (user !== undefined) ev['user.name'] = db === undefined ? user : `${user}@${db}`;
    if (db !== undefined) ev['leuko.db.name'] = db;
    if (typeof attr.mechanism === 'string') ev['leuko.db.auth_method'] = attr.mechanism;
    if (!ok && typeof attr.error === 'string') ev['event.reason'] = attr.error;
  } else if (doc.c === 'NETWORK' && (doc.msg === 'Connection accepted' || doc.msg === 'Connection ended')) {
    ev['event.category'] = NETWORK;
    ev['event.action'] = doc.msg === 'Connection accepted' ? 'db_connection_received' : 'db_connection_ended';
  }
  return stream.done(ev, time);
}

function client(ev: EcsEvent, text: string): void {
  const { host, port } = splitHostPort(text, true);
  setSource(ev, host, port);
}

/** Before 4.4: `2016-11-20T00:04:00.110+0100 [conn1] ...` or, from 3.0, `... I ACCESS   [conn5] ...`. */
const TEXT_HEAD = /^(\S+) (?:[FEWID]\d? +(\w+|-) +)?\[(\w+)\] (.*)$/;
/** 3.x names the client in the failure itself. */
const SASL_FAILED = /^SASL ([\w-]+) authentication failed for (.*) on (\S+) from client (\S+) ; (.*)$/;
/** 2.x names it only when the connection ends: the failure marks its connection. */
const FAILED = /^Failed to authenticate (\S+) with mechanism ([\w-]+): (.*)$/;
const END = /^end connection (\S+) \(\d+ connections? now open\)$/;
const SUCCESS = /^Successfully authenticated as principal (\S+) on (\S+)(?: from client (\S+))?/;
const ACCEPTED = /^connection accepted from (\S+) #\d+/;
/** Connections remembered for their `end connection` line. */
const MAX_PENDING = 4096;

export interface MongoTextReader {
  line(stream: Stream, line: string): ParsedLine | undefined;
}

/**
 * MongoDB's text log (before 4.4), one per stream: a 2.x failure names no client, so its
 * connection is remembered until the `end connection IP:PORT` line, which then counts as the
 * failed login of that client (fail2ban's mongodb-auth does the same).
 */
export function createMongoTextReader(): MongoTextReader {
  const failed = new Map<string, { user: string; mechanism: string }>();
  return {
    line(stream, line) {
      const c = line.charCodeAt(0);
      if (c < 48 || c > 57 || line.charCodeAt(4) !== 45) return undefined;
      // After the time: `[context]`, or a one-letter severity (3.x+). A syslog host name fails here.
      const sp = line.indexOf(' ');
      const next = line.charCodeAt(sp + 1);
      if (
        sp < 0 ||
        (next !== 91 &&
          line.charCodeAt(sp + 2) !== 32 &&
          !(line.charCodeAt(sp + 2) >= 48 && line.charCodeAt(sp + 2) <= 57))
      )
        return undefined;
      const h = TEXT_HEAD.exec(line);
      if (h === null) return undefined;
      const iso = isoAt(h[1]!, 0, stream.local);
      if (iso === undefined || iso[1] !== h[1]!.length) return undefined;
      const time = iso[0];
      const conn = h[3]!;
      const msg = h[4]!;
      const ev = stream.event(line, time, 'mongodb');
      if (h[2] !== undefined) ev['leuko.mongodb.component'] = h[2];
      ev['leuko.mongodb.context'] = conn;
      // The user name and the error (which repeats it) are the client's text: a second
      // ` from client ` leaves the line without an address.
      const sasl = msg.indexOf(' from client ') === msg.lastIndexOf(' from client ') ? SASL_FAILED.exec(msg) : null;
      if (sasl !== null) {
        client(ev, sasl[4]!);
        authFailure(ev, `${sasl[2]!}@${sasl[3]!}`, sasl[3]!, sasl[1]!);
        return stream.done(ev, time);
      }
      const f = FAILED.exec(msg);
      if (f !== null) {
        // `user@db`, the principal as MongoDB names it.
        const principal = f[1]!;
        failed.delete(conn);
        failed.set(conn, { user: principal, mechanism: f[2]! });
        if (failed.size > MAX_PENDING) failed.delete(failed.keys().next().value!);
        ev['event.category'] = DATABASE_AUTH;
        ev['event.action'] = 'db_auth_attempt_failed';
        ev['user.name'] = principal;
        return stream.done(ev, time);
      }
      const end = END.exec(msg);
      if (end !== null) {
        client(ev, end[1]!);
        ev['event.category'] = NETWORK;
        ev['event.action'] = 'db_connection_ended';
        const pending = failed.get(conn);
        if (pending !== undefined) {
          failed.delete(conn);
          authFailure(ev, pending.user, undefined, pending.mechanism);
        }
        return stream.done(ev, time);
      }
      const accepted = ACCEPTED.exec(msg);
      if (accepted !== null) {
        client(ev, accepted[1]!);
        ev['event.category'] = NETWORK;
        ev['event.action'] = 'db_connection_received';
        return stream.done(ev, time);
      }
      const ok = SUCCESS.exec(msg);
      if (ok !== null) {
        failed.delete(conn);
        ev['event.category'] = DATABASE_AUTH;
        ev['event.action'] = 'db_login';
        ev['event.outcome'] = 'success';
        ev['user.name'] = ok[1]!;
        if (ok[3] !== undefined) client(ev, ok[3]);
      }
      return stream.done(ev, time);
    },
  };
}

function authFailure(ev: EcsEvent, user: string, db: string | undefined, mechanism: string): void {
  ev['event.category'] = DATABASE_AUTH;
  ev['event.action'] = 'db_auth_failure';
  ev['event.outcome'] = 'failure';
  ev['user.name'] = user;
  if (db !== undefined) ev['leuko.db.name'] = db;
  ev['leuko.db.auth_method'] = mechanism;
}
