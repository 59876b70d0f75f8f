import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { setSource, toPort } from '../shared/address.js';
import { NETWORK, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/**
 * Endlessh, the SSH tarpit, logging each client it traps: `ACCEPT host=ADDR port=P fd=N n=K/MAX`
 * and `CLOSE host=ADDR port=P fd=N time=S bytes=B`. Every word is the tarpit's own: a client
 * sends nothing it echoes.
 */
const RECORD = /^(ACCEPT|CLOSE) host=(\S+) port=(\d{1,5}) fd=\d+ (?:n=\d+\/\d+|time=([\d.]+) bytes=\d+)$/;

function fill(ev: EcsEvent, msg: string): boolean {
  const r = RECORD.exec(msg);
  if (r === null) return false;
  if (!setSource(ev, r[2]!, toPort(r[3]!))) return false;
  ev['event.category'] = NETWORK;
  ev['event.action'] = r[1] === 'ACCEPT' ? 'ssh_tarpit_connection' : 'ssh_tarpit_close';
  if (r[4] !== undefined) ev['event.duration'] = Math.round(Number(r[4]) * 1e9);
  return true;
}

/** endlessh through syslog or the journal. */
export function createEndlesshHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'endlessh';
    fill(ev, env.msg);
    return true;
  };
}

/** A line of Endlessh's own output (`-v` to a file): `ISO-TIME ACCEPT host=...`; undefined when not one. */
export function endlesshLine(stream: Stream, line: string): ParsedLine | undefined {
  const sp = line.indexOf(' ');
  if (sp < 0 || !(line.startsWith('ACCEPT host=', sp + 1) || line.startsWith('CLOSE host=', sp + 1))) return undefined;
  const iso = isoAt(line, 0, stream.local);
  if (iso === undefined || line.charCodeAt(iso[1]) !== 32) return undefined;
  const c = line.charCodeAt(iso[1] + 1);
  if (c !== 65 && c !== 67) return undefined;
  const ev = stream.event(line, iso[0], 'endlessh');
  return fill(ev, line.slice(iso[1] + 1)) ? stream.done(ev, iso[0]) : undefined;
}
