import type { EcsEvent } from '../../core/event.js';
import { parsePeer } from '../shared/address.js';
import { DATABASE_AUTH } from '../shared/stream.js';

const TAIL = "' (using password: ";

/**
 * `Access denied for user 'U'@'H' (using password: YES)` at the end of a MySQL/MariaDB error
 * log record. U is client text (it may hold `'@'1.2.3.4' (using password: NO)`); H is the
 * server's view of the client, so it is read from the end: the last `'@'` before the tail.
 */
export function parseMysqlMessage(m: string, ev: EcsEvent): boolean {
  const lvl = /\[(Warning|Note|ERROR|Error|System)\] /.exec(m.length > 200 ? m.slice(0, 200) : m);
  if (lvl !== null) ev['log.level'] = lvl[1]!.toLowerCase();
  const at = m.indexOf('Access denied for user ');
  if (at < 0) return false;
  if (!(m.endsWith('YES)') || m.endsWith('NO)'))) return false;
  const tail = m.lastIndexOf(TAIL);
  if (tail < 0 || !/^(?:YES|NO)\)$/.test(m.slice(tail + TAIL.length))) return false;
  const sep = m.lastIndexOf("'@'", tail);
  if (sep < at) return false;
  const host = m.slice(sep + 3, tail);
  const user = m.slice(at + 24, sep);
  if (m.charCodeAt(at + 23) !== 39) return false;
  const peer = parsePeer(host);
  if (peer !== undefined) {
    if ('ip' in peer) ev['source.ip'] = peer.ip;
    else ev['source.address'] = peer.address;
  }
  ev['user.name'] = user;
  ev['event.category'] = DATABASE_AUTH;
  ev['event.action'] = 'db_auth_failure';
  ev['event.outcome'] = 'failure';
  ev['leuko.db.password_used'] = m.slice(tail + TAIL.length).startsWith('YES');
  return true;
}
