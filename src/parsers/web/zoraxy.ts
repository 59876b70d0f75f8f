import type { ParsedLine } from '../../core/event.js';
import { normalizeIp } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import { fillAccess } from './access-event.js';
import { vhostFields } from './access.js';

/**
 * Zoraxy's request log: `2025/05/01 14:14:02 [2025-05-01 14:14:02.417736] [router:CLASS]
 * [origin:HOST] [client: ADDR] [useragent: AGENT] METHOD URI STATUS`. The client comes before the
 * user agent (client text that may hold brackets and spaces); the host has no space (Go refuses
 * such a Host header) and the URI none either, so the agent is what lies between them. The
 * client is the address Zoraxy resolved (X-Real-IP / X-Forwarded-For when the request had them):
 * taken only when it reads as one address.
 */
const LINE =
  /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\] \[router:[^\]\s]*\] \[origin:(\S*?)\] \[client: ([0-9A-Fa-f:.[\]]+)\] \[useragent: (.*)\] ([A-Za-z]{1,20}) (\S+) (\d{3})$/;

/** A Zoraxy request line as a `zoraxy.access` event; null when its client is none; undefined for other lines. */
export function zoraxyLine(stream: Stream, line: string): ParsedLine | null | undefined {
  // `yyyy/mm/dd hh:mm:ss [yyyy-`: Go's log prefix, then Zoraxy's own time.
  // (nginx's error log has the same prefix, then a level word in the bracket.)
  if (line.charCodeAt(4) !== 47 || line.charCodeAt(20) !== 91 || line.charCodeAt(25) !== 45) return undefined;
  if (!line.includes('] [router:', 40)) return undefined;
  const m = LINE.exec(line);
  if (m === null) return undefined;
  const at = isoAt(m[1]!, 0, stream.local);
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const ip = normalizeIp(m[3]!);
  if (ip === undefined) return null;
  const ev = stream.event(line, time, 'zoraxy.access');
  fillAccess(ev, {
    time,
    ip,
    vhost: undefined,
    user: undefined,
    request: `${m[5]} ${m[6]}`,
    status: Number(m[7]),
    bytes: undefined,
    referrer: undefined,
    agent: m[4]!,
  });
  if (m[2]!.length > 0) vhostFields(ev, m[2]!);
  return stream.done(ev, time);
}
