import type { ParsedLine } from '../../core/event.js';
import { normalizeIp, splitHostPort } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { digitsAt, isoAt } from '../shared/time.js';
import { fillAccess } from './access-event.js';
import { vhostFields } from './access.js';
import { closingQuote, unescapeLogField } from './unescape.js';

/**
 * AWS Application Load Balancer access log:
 * `TYPE TIME ELB CLIENT:PORT TARGET:PORT REQ_T TARGET_T RESP_T ELB_STATUS TARGET_STATUS RECV SENT
 * "REQUEST" "USER_AGENT" SSL_CIPHER ...`. The first twelve fields are the balancer's own, with no
 * space in any of them; the client is the fourth, before anything the client sent.
 */
const TYPES = ['http ', 'https ', 'h2 ', 'grpcs ', 'ws ', 'wss '];

/** The end of the space-separated field starting at `i`, or -1 at the line's end. */
const fieldEnd = (line: string, i: number): number => line.indexOf(' ', i);

/**
 * The balancer logs the absolute form (`GET https://HOST:PORT/PATH HTTP/1.1`): the request line an
 * origin server would have seen (`GET /PATH HTTP/1.1`) and the authority apart, so scenarios read
 * the path as on nginx lines (and the absolute form is not taken for a proxy request).
 */
function originForm(request: string): { request: string; authority: string | undefined } {
  const a = request.indexOf(' ');
  const b = request.lastIndexOf(' ');
  const end = b > a && request.startsWith('HTTP/', b + 1) ? b : request.length;
  const s = a > 0 ? request.indexOf('://', a + 1) : -1;
  if (s < 0 || s > a + 9 || s > end) return { request, authority: undefined };
  let stop = s + 3;
  while (stop < end && request.charCodeAt(stop) !== 47 && request.charCodeAt(stop) !== 63) stop++;
  const path =
    stop < end && request.charCodeAt(stop) === 47 ? request.slice(stop, end) : `/${request.slice(stop, end)}`;
  return { request: `${request.slice(0, a + 1)}${path}${request.slice(end)}`, authority: request.slice(s + 3, stop) };
}

/**
 * An ALB access line as an `aws.elb` access event; null when its client does not read as an
 * address (dropped); undefined for any other line.
 */
export function albLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const c = line.charCodeAt(0);
  if (c !== 104 && c !== 103 && c !== 119) return undefined;
  const sp = line.indexOf(' ');
  if (sp < 2 || sp > 5 || !TYPES.includes(line.slice(0, sp + 1))) return undefined;
  if (digitsAt(line, sp + 1, 4) < 0 || line.charCodeAt(sp + 5) !== 45 || line.charCodeAt(sp + 11) !== 84)
    return undefined;
  // Fields 2..12, each one token.
  const ends: number[] = [sp];
  for (let k = 1; k < 12; k++) {
    const e = fieldEnd(line, ends[k - 1]! + 1);
    if (e < 0) return undefined;
    ends.push(e);
  }
  if (line.charCodeAt(ends[11]! + 1) !== 34) return undefined;
  const at = isoAt(line, sp + 1, stream.local);
  if (at === undefined || at[1] !== ends[1]) return undefined;
  const client = splitHostPort(line.slice(ends[2]! + 1, ends[3]), true);
  const status = digitsAt(line, ends[7]! + 1, 3);
  const qEnd = closingQuote(line, ends[11]! + 2);
  if (qEnd < 0) return undefined;
  let agent: string | undefined;
  if (line.charCodeAt(qEnd + 1) === 32 && line.charCodeAt(qEnd + 2) === 34) {
    const aEnd = closingQuote(line, qEnd + 3);
    if (aEnd > 0) agent = unescapeLogField(line.slice(qEnd + 3, aEnd));
  }
  const ip = normalizeIp(client.host);
  if (ip === undefined) return null;
  const target = originForm(unescapeLogField(line.slice(ends[11]! + 2, qEnd)));
  const ev = stream.event(line, at[0], 'aws.elb');
  fillAccess(ev, {
    time: at[0],
    ip,
    vhost: undefined,
    user: undefined,
    request: target.request,
    status: status > 0 && ends[8] === ends[7]! + 4 ? status : undefined,
    bytes: undefined,
    referrer: undefined,
    agent,
  });
  if (client.port !== undefined) ev['source.port'] = client.port;
  if (target.authority !== undefined) vhostFields(ev, target.authority);
  const sent = Number(line.slice(ends[10]! + 1, ends[11]));
  if (Number.isInteger(sent)) ev['http.response.body.bytes'] = sent;
  return stream.done(ev, at[0]);
}
