import type { ParsedLine } from '../../core/event.js';
import { setSource, splitHostPort } from '../shared/address.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';

/**
 * Teleport's audit log (JSON per line): `user.login` events, `success` true or false, the client
 * in `addr.remote` (`ADDR:PORT`), the user name tried in `user`. JSON keys are Teleport's own,
 * so the user's text cannot reach the address.
 */
export function teleportEvent(stream: Stream, line: string, doc: Record<string, unknown>): ParsedLine | undefined {
  if (doc.event !== 'user.login' || typeof doc.success !== 'boolean' || typeof doc.code !== 'string') return undefined;
  const remote = doc['addr.remote'];
  if (typeof remote !== 'string') return undefined;
  const at = typeof doc.time === 'string' ? isoAt(doc.time, 0, stream.local) : undefined;
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ev = stream.event(line, time, 'teleport');
  const addr = splitHostPort(remote, true);
  if (!setSource(ev, addr.host, addr.port)) return undefined;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = doc.success ? 'teleport_login' : 'teleport_login_failure';
  ev['event.outcome'] = doc.success ? 'success' : 'failure';
  if (typeof doc.user === 'string' && doc.user.length > 0) ev['user.name'] = doc.user;
  if (typeof doc.method === 'string') ev['leuko.teleport.method'] = doc.method;
  if (typeof doc.error === 'string') ev['event.reason'] = doc.error;
  if (typeof doc.user_agent === 'string') ev['user_agent.original'] = doc.user_agent;
  return stream.done(ev, time);
}
