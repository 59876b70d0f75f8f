import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource } from '../shared/address.js';
import { NETWORK, type Stream, TYPE_DENIED } from '../shared/stream.js';
import { digitsAt, isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * NSD refusing a zone transfer: `axfr for [zone ]ZONE from [client ]ADDR refused, no acl matches[.]`
 * (ixfr alike, `blocked` for a BLOCKED acl). ZONE is the name the client asked for, so the
 * address is read from the record's fixed end: the last ` from ` before it.
 */
const XFR_REFUSED = /^info: ([ai]xfr) for (?:zone )?(.*) from (?:client )?(\S+) refused, (no acl matches|blocked)\.?$/;
/**
 * Response rate limiting: `ratelimit block ZONE type T target NET query ADDR TYPE`, the last two
 * words the query's source and type. RRL answers UDP queries, whose source is forged in the
 * reflection attacks it exists for: an event, counted by no banning scenario.
 */
const RATE_LIMIT = /^info: ratelimit block (.*) type \S+ target \S+ query (\S+) (\S+)$/;

function fill(ev: EcsEvent, msg: string): void {
  const x = XFR_REFUSED.exec(msg);
  if (x !== null) {
    if (!setSource(ev, x[3]!)) return;
    ev['event.category'] = NETWORK;
    ev['event.action'] = 'dns_request_denied';
    ev['event.type'] = TYPE_DENIED;
    ev['event.outcome'] = 'failure';
    ev['event.reason'] = x[4]!;
    ev['leuko.dns.request'] = 'zone transfer';
    if (x[2]!.length > 0) ev['dns.question.name'] = x[2]!;
    ev['dns.question.type'] = x[1]!.toUpperCase();
    return;
  }
  const r = RATE_LIMIT.exec(msg);
  if (r === null || !setSource(ev, r[2]!)) return;
  ev['event.category'] = NETWORK;
  ev['event.action'] = 'dns_rate_limited';
  ev['event.type'] = TYPE_DENIED;
  ev['event.outcome'] = 'failure';
  ev['dns.question.name'] = r[1]!;
  ev['dns.question.type'] = r[3]!;
}

/** nsd through syslog (fail2ban's nsd). */
export function createNsdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'nsd';
    fill(ev, env.msg);
    return true;
  };
}

/**
 * A line of NSD's own log file (`logfile:`): `[TIME] nsd[PID]: MSG`, TIME the epoch or, with
 * `log-time-ascii` (the default since 4.1), local `YYYY-MM-DD hh:mm:ss.mmm`. Undefined when the
 * line is not one.
 */
export function nsdLogLine(stream: Stream, line: string): ParsedLine | undefined {
  const close = line.indexOf(']', 1);
  if (close < 0 || close > 24 || !line.startsWith('] nsd[', close)) return undefined;
  let time: number;
  if (close === 11) {
    const secs = digitsAt(line, 1, 10);
    if (secs < 0) return undefined;
    time = secs * 1000;
  } else {
    const iso = isoAt(line, 1, stream.local);
    if (iso === undefined || iso[1] !== close) return undefined;
    time = iso[0];
  }
  const colon = line.indexOf(']: ', close + 6);
  if (colon < 0 || digitsAt(line, close + 6, colon - close - 6) < 0) return undefined;
  const ev = stream.event(line, time, 'nsd');
  ev['process.name'] = 'nsd';
  ev['process.pid'] = digitsAt(line, close + 6, colon - close - 6);
  fill(ev, line.slice(colon + 3));
  return stream.done(ev, time);
}
