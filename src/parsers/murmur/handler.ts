import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource, toPort } from '../shared/address.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Murmur (the Mumble server) refusing a client: `SERVER => <SESSION:NAME(ID)> Rejected connection
 * from ADDR:PORT: REASON`. NAME is the user name the client sent, before the address; REASON
 * is Murmur's and never holds the phrase, so the address is the last ` Rejected connection
 * from ` of the record (the greedy name runs up to it).
 */
const REJECTED = /^\d+ => <\d+:(.*)\(-?\d+\)> Rejected connection from (\S+):(\d{1,5}): (.+)$/;
/** The refusals of a wrong password or certificate; the others (server full, name in use...) are no failed login. */
const BAD_CREDENTIALS = /^(?:Invalid server password|Wrong certificate or password for existing user)$/;

function fill(ev: EcsEvent, msg: string): void {
  const r = REJECTED.exec(msg);
  if (r === null || !setSource(ev, r[2]!, toPort(r[3]!))) return;
  ev['event.category'] = AUTHENTICATION;
  ev['event.reason'] = r[4]!;
  if (r[1]!.length > 0) ev['user.name'] = r[1]!;
  if (BAD_CREDENTIALS.test(r[4]!)) {
    ev['event.action'] = 'voip_auth_failure';
    ev['event.outcome'] = 'failure';
  } else ev['event.action'] = 'voip_connection_rejected';
}

/** Murmur's level and time, `<W>2015-11-29 16:38:01.818 `: [time, end] or undefined. */
function headAt(stream: Stream, line: string): [number, number] | undefined {
  if (line.charCodeAt(0) !== 60 || line.charCodeAt(2) !== 62) return undefined;
  const level = line.charCodeAt(1);
  if (level < 65 || level > 90) return undefined;
  const iso = isoAt(line, 3, stream.local);
  if (iso === undefined || line.charCodeAt(iso[1]) !== 32) return undefined;
  return [iso[0], iso[1] + 1];
}

/** murmurd through syslog or the journal (`murmurd[pid]: <W>2019-09-08 13:00:05.615 1 => ...`). */
export function createMurmurHandler(stream: Stream): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'murmur';
    const head = headAt(stream, env.msg);
    fill(ev, head === undefined ? env.msg : env.msg.slice(head[1]));
    return true;
  };
}

/** A line of Murmur's own log (`logfile=`, mumble-server.log); undefined when the line is not one. */
export function murmurLogLine(stream: Stream, line: string): ParsedLine | undefined {
  const head = headAt(stream, line);
  if (head === undefined) return undefined;
  const ev = stream.event(line, head[0], 'murmur');
  fill(ev, line.slice(head[1]));
  return stream.done(ev, head[0]);
}
