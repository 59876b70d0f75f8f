import type { EcsEvent } from '../../core/event.js';
import type { ParsedLine } from '../../core/event.js';
import { parsePeer, splitHostPort } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { NETWORK, TYPE_DENIED } from '../shared/stream.js';
import { dayMonthYearTimeAt, digitsAt, type LocalTime } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

const CLIENT = /^(?:[a-z-]+: )*client (?:@0x[0-9a-f]+ )?([^\s#]+)#(\d+)(?: \([^)\s]*\))?: (?:view \S+: )?/;
/** BIND 9.18 and later add the ACL that refused it: `denied (allow-query-cache did not match)`. */
const DENIED = /^(query(?: \(cache\))?|update|zone transfer|notify) '([^']*)' denied(?: \([a-z-]+ did not match\))?$/;
const BAD_AXFR = /^bad zone transfer request: '([^']*)': /;

/**
 * BIND's client records: `client @0x7f... 192.0.2.1#53 (example.com): query (cache) 'x/A/IN'
 * denied`, `zone transfer 'x/AXFR/IN' denied`, `bad zone transfer request: 'x/IN': non-authoritative
 * zone`. The address is the first field BIND writes after `client`; the query name and view
 * come after it. Category and severity prefixes (`security: info: `) are skipped.
 */
export function fillNamed(msg: string, ev: EcsEvent): boolean {
  const m = CLIENT.exec(msg);
  if (m === null) return true;
  const peer = parsePeer(splitHostPort(m[1]!).host);
  if (peer === undefined) return true;
  if ('ip' in peer) ev['source.ip'] = peer.ip;
  else ev['source.address'] = peer.address;
  ev['source.port'] = Number(m[2]);
  ev['event.category'] = NETWORK;
  const rest = msg.slice(m[0].length);
  const denied = DENIED.exec(rest);
  const axfr = denied === null ? BAD_AXFR.exec(rest) : null;
  if (denied === null && axfr === null) {
    ev['event.action'] = 'dns_client';
    return true;
  }
  const request = denied === null ? 'zone transfer' : denied[1]!.replace(' (cache)', '');
  const question = (denied === null ? axfr![1] : denied[2])!.split('/');
  ev['event.action'] = 'dns_request_denied';
  ev['event.type'] = TYPE_DENIED;
  ev['event.outcome'] = 'failure';
  ev['leuko.dns.request'] = request;
  if (question[0] !== undefined && question[0] !== '') ev['dns.question.name'] = question[0];
  if (question.length === 3) ev['dns.question.type'] = question[1]!;
  return true;
}

/** named (BIND) through syslog. */
export function createNamedHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'named';
    return fillNamed(env.msg, ev);
  };
}

/** `11-Aug-2013 03:36:11.372 ` at the start of a line of BIND's own log file: [time, message start]. */
export function namedHead(line: string, local: LocalTime): [number, number] | null {
  const f = dayMonthYearTimeAt(line, 0);
  if (f === null || line.charCodeAt(20) !== 46 || line.charCodeAt(24) !== 32) return null;
  const ms = digitsAt(line, 21, 3);
  if (ms < 0) return null;
  const [y, mo, d, h, mi, s] = f;
  const time = local(y, mo, d, h, mi, s, ms);
  return Number.isFinite(time) ? [time, 25] : null;
}

/** A line of BIND's own log file as a `named` event; undefined when the line is not one. */
export function namedLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const head = namedHead(line, stream.local);
  if (head === null) return undefined;
  const msg = line.slice(head[1]).trimEnd();
  // Only client records: other daemons' files share no such date, but keep the test strict.
  if (!/^(?:[a-z-]+: )*client /.test(msg)) return undefined;
  const ev = stream.event(line, head[0], 'named');
  fillNamed(msg, ev);
  return stream.done(ev, head[0]);
}
