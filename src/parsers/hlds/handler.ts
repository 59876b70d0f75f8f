import type { ParsedLine } from '../../core/event.js';
import { setSource, toPort } from '../shared/address.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { digitsAt } from '../shared/time.js';

/**
 * The Half-Life and Source dedicated servers' log (Counter-Strike and the other mods):
 * `L MM/DD/YYYY - HH:MM:SS: MESSAGE`. Read: remote console (rcon) logins. The GoldSrc server
 * quotes the whole command the client sent, password included, before the address (`Bad Rcon:
 * "rcon CHALLENGE "PASS" CMD" from "ADDR:PORT"`): the address is the quoted end of the line.
 * The Source engine names the client first (`rcon from "ADDR:PORT": Bad Password`).
 */
const IP = '[0-9A-Fa-f:.]+';
const GOLDSRC = new RegExp(String.raw`^(Bad )?Rcon: "(.*)" from "(${IP}):(\d+)"$`);
const SOURCE = new RegExp(String.raw`^rcon from "(${IP}):(\d+)": (?:(Bad Password)|command ".*")$`);

/** `L 01/01/2014 - 01:25:17: ` at the start: [local time, message start] or null. */
function head(line: string, stream: Stream): [number, number] | null {
  if (line.charCodeAt(4) !== 47 || line.charCodeAt(7) !== 47 || !line.startsWith(' - ', 12)) return null;
  if (line.charCodeAt(17) !== 58 || line.charCodeAt(20) !== 58 || !line.startsWith(': ', 23)) return null;
  const mo = digitsAt(line, 2, 2);
  const d = digitsAt(line, 5, 2);
  const y = digitsAt(line, 8, 4);
  const h = digitsAt(line, 15, 2);
  const mi = digitsAt(line, 18, 2);
  const s = digitsAt(line, 21, 2);
  if (mo < 1 || mo > 12 || d < 1 || y < 0 || h < 0 || mi < 0 || s < 0) return null;
  const t = stream.local(y, mo - 1, d, h, mi, s, 0);
  return Number.isFinite(t) ? [t, 25] : null;
}

/** A line of the server's log; null when an rcon record's address does not read; undefined for any other line. */
export function hldsLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (line.charCodeAt(0) !== 76 || line.charCodeAt(1) !== 32) return undefined;
  const h = head(line, stream);
  if (h === null) return undefined;
  const msg = line.slice(h[1]);
  const ev = stream.event(line, h[0], 'hlds');
  const c = msg.charCodeAt(0);
  let addr: string;
  let port: string;
  let failed: boolean;
  const g = c === 66 || c === 82 ? GOLDSRC.exec(msg) : null;
  if (g !== null) {
    [addr, port, failed] = [g[3]!, g[4]!, g[1] !== undefined];
  } else {
    const s = c === 114 ? SOURCE.exec(msg) : null;
    if (s === null) return stream.done(ev, h[0]);
    [addr, port, failed] = [s[1]!, s[2]!, s[3] !== undefined];
  }
  if (!setSource(ev, addr, toPort(port))) return null;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = failed ? 'rcon_auth_failure' : 'rcon_command';
  ev['event.outcome'] = failed ? 'failure' : 'success';
  return stream.done(ev, h[0]);
}
