import type { ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { type Stream, WEB } from '../shared/stream.js';
import { fillModSecurity } from './modsecurity.js';

/**
 * Coraza's rule matches in Caddy's JSON log (the coraza-caddy module, logger `http.handlers.waf`):
 *
 *   {"level":"warn","ts":1700758468.38,"logger":"http.handlers.waf","msg":"[client \"ADDR\"] Coraza: Warning. MSG [file \"...\"] [id \"942431\"] ... [severity \"critical\"] ... [uri \"/x\"]"}
 *
 * The client comes first, written by Coraza before anything it quotes from the request; the
 * rule's fields are read as ModSecurity's (see modsecurity.ts). Other records of that logger are
 * plain web events; an unreadable client drops the record.
 */
const LOGGER = 'http.handlers.waf';
const CLIENT = '[client "';

export function caddyWafEvent(
  stream: Stream,
  line: string,
  doc: Record<string, unknown>,
): ParsedLine | null | undefined {
  if (doc.logger !== LOGGER || typeof doc.msg !== 'string') return undefined;
  const msg = doc.msg;
  const ts = typeof doc.ts === 'number' && Number.isFinite(doc.ts) ? Math.round(doc.ts * 1000) : undefined;
  const time = ts ?? stream.ctx.clock.now();
  const ev = stream.event(line, time, 'caddy.waf');
  ev['event.category'] = WEB;
  if (msg.startsWith(CLIENT)) {
    const end = msg.indexOf('"] ', CLIENT.length);
    if (end < 0 || !setSource(ev, msg.slice(CLIENT.length, end))) return null;
    fillModSecurity(msg.slice(end + 3), ev, 'Coraza');
  }
  return stream.done(ev, time);
}
