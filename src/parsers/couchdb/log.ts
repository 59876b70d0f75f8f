import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import { type Stream, WEB_AUTH } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { fillAccess } from '../web/access-event.js';
import { vhostFields } from '../web/access.js';

/**
 * CouchDB's own log, its request records: `[notice] 2024-01-20T13:54:06.579985Z nonode@nohost
 * <0.17607.12> REQID HOST PEER USER METHOD PATH CODE ok MS`. HOST is the client's Host header and
 * USER the name it authenticated as; every field is one token and the record's field count is
 * fixed, so the whole line must match one token per field: a Host or path with a space does not
 * read (no field can shift the peer into place). Also through syslog or the journal (`couchdb[pid]: `).
 */
const REQUEST = /^\[(\w+)\] (\S+) \S+ <[\d.]+> [0-9a-f]+ (\S+) ([0-9A-Fa-f:.]+) (\S+) ([A-Z]+) (\S+) (\d{3}) \w+ \d+$/;

/** `msg` as a request record, or undefined. */
function requestMatch(msg: string): RegExpExecArray | undefined {
  const b = msg.indexOf('] ');
  if (b < 4 || b > 10 || msg.charCodeAt(b + 12) !== 84) return undefined;
  return REQUEST.exec(msg) ?? undefined;
}

/**
 * A request record's fields into `ev`; false when its peer does not read as an address. A 401
 * from `/_session` (the log-in) is a refused log-in, counted by the auth-* scenarios; a 401
 * elsewhere may only mean no credentials came (`require_valid_user`), so it stays a refused request.
 */
function fillRequestRecord(ev: EcsEvent, m: RegExpExecArray, time: number): boolean {
  ev['event.dataset'] = 'couchdb';
  const ip = normalizeIp(m[4]!);
  if (ip === undefined) return false;
  const status = Number(m[8]);
  fillAccess(ev, {
    time,
    ip,
    vhost: undefined,
    // `undefined`: no one authenticated.
    user: m[5] === 'undefined' ? undefined : m[5],
    request: `${m[6]} ${m[7]}`,
    status,
    bytes: undefined,
    referrer: undefined,
    agent: undefined,
  });
  vhostFields(ev, m[3]!);
  if (status === 401 && ev['url.path'] === '/_session') {
    ev['event.category'] = WEB_AUTH;
    ev['event.action'] = 'web_login_failure';
  }
  return true;
}

/**
 * A CouchDB request record as a `couchdb` access event; null when its peer does not read as an
 * address (dropped); undefined for any other line.
 */
export function couchdbLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const m = requestMatch(line);
  if (m === undefined) return undefined;
  const at = isoAt(m[2]!, 0, stream.local);
  if (at === undefined) return undefined;
  const ev = stream.event(line, at[0], 'couchdb');
  return fillRequestRecord(ev, m, at[0]) ? stream.done(ev, at[0]) : null;
}

/** CouchDB through syslog or the journal (`couchdb[pid]: [notice] ...`): its other records stay plain events. */
export function createCouchdbHandler(): ProgramHandler {
  return (env, ev) => {
    const m = requestMatch(env.msg);
    return m === undefined || fillRequestRecord(ev, m, env.time);
  };
}
