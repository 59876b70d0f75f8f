import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource, toPort } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { digitsAt } from '../shared/time.js';
import { SCAN_CATEGORY } from '../scanlogd/handler.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * PortSentry names a scanner `NAME/ADDR`: NAME is the reverse lookup of ADDR (or ADDR again), a
 * name the scanner's own DNS chooses, so the address is read from the record's fixed end: what
 * follows the last slash before it. The records:
 * - syslog `attackalert: <kind> from host: NAME/ADDR to TCP|UDP port: N`;
 * - syslog `attackalert: Host: NAME/ADDR is already blocked Ignoring`;
 * - its history file (portsentry.history): `EPOCH - MM/DD/YYYY hh:mm:ss Host: NAME/ADDR Port: N TCP|UDP Blocked`.
 */
const ALERT = /^attackalert: (.+?) from host: .*\/([^\s/]+) to (TCP|UDP) port: (\d{1,5})$/;
const ALREADY = /^attackalert: Host: .*\/([^\s/]+) is already blocked Ignoring$/;
const HISTORY = / Host: .*\/([^\s/]+) Port: (\d{1,5}) (TCP|UDP) Blocked$/;

function scan(ev: EcsEvent, addr: string, transport: string, port: string): boolean {
  if (!setSource(ev, addr)) return false;
  ev['network.transport'] = transport.toLowerCase();
  const p = toPort(port);
  if (p !== undefined) ev['destination.port'] = p;
  ev['event.category'] = SCAN_CATEGORY;
  ev['event.action'] = 'port_scan';
  // A probe of a port PortSentry watches, which no legitimate client uses: blocked.
  ev['event.outcome'] = 'failure';
  return true;
}

/** portsentry through syslog (fail2ban's portsentry reads its history file). */
export function createPortsentryHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'portsentry';
    const a = ALERT.exec(env.msg);
    if (a !== null) {
      if (scan(ev, a[2]!, a[3]!, a[4]!)) ev['event.reason'] = a[1]!;
      return true;
    }
    const b = ALREADY.exec(env.msg);
    if (b !== null) setSource(ev, b[1]!);
    return true;
  };
}

/**
 * A line of PortSentry's history file; undefined when the line is not one. The epoch leads
 * (UTC, exact); the local date after it is not read.
 */
export function portsentryHistoryLine(stream: Stream, line: string): ParsedLine | undefined {
  const sp = line.indexOf(' ');
  if (sp < 9 || sp > 10 || line.charCodeAt(sp + 1) !== 45 || line.charCodeAt(sp + 2) !== 32) return undefined;
  const secs = digitsAt(line, 0, sp);
  // `MM/DD/YYYY hh:mm:ss Host: `
  if (secs < 0 || line.charCodeAt(sp + 5) !== 47 || !line.startsWith(' Host: ', sp + 22)) return undefined;
  const h = HISTORY.exec(line);
  if (h === null) return undefined;
  const time = secs * 1000;
  const ev = stream.event(line, time, 'portsentry');
  scan(ev, h[1]!, h[3]!, h[2]!);
  return stream.done(ev, time);
}
