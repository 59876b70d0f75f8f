import type { ParsedLine } from '../../core/event.js';
import { isHostName, normalizeIp } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';
import { webLoginFailure } from './logins.js';

/**
 * Home Assistant's own log (`home-assistant.log`): its HTTP ban component's warning for a
 * refused login or token, `... [homeassistant.components.http.ban] Login attempt or request
 * with invalid authentication from NAME (ADDR). Requested URL: 'U'. (AGENT)`. NAME is the
 * address's reverse DNS, which whoever owns the address writes: it must read as a host name
 * (no space, no parenthesis) and ADDR as an address, else the line keeps no address. The URL and
 * the agent come after the address.
 */
const BAN = ' [homeassistant.components.http.ban] ';
const INVALID_AUTH = 'Login attempt or request with invalid authentication from ';
const NAME_AND_ADDRESS = /^(\S+) \(([^()\s]+)\)\.(?: |$)/;
const LEVEL = ' WARNING (';

/**
 * A line of Home Assistant's log with a refused login; null when the record's name and address
 * do not read as such (dropped: never an address from text around them); undefined for any
 * other line.
 */
export function homeAssistantLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (line.charCodeAt(10) !== 32) return undefined;
  // `2022-08-11 01:37:55.287 WARNING (MainThread) [...]`, or without the milliseconds before 2022.
  const level = line.startsWith(LEVEL, 23) ? 23 : line.startsWith(LEVEL, 19) ? 19 : -1;
  if (level < 0) return undefined;
  const thread = line.indexOf(')', level + LEVEL.length);
  const text = thread + 1 + BAN.length;
  if (thread < 0 || !line.startsWith(BAN, thread + 1) || !line.startsWith(INVALID_AUTH, text)) return undefined;
  const at = isoAt(line, 0, stream.local);
  if (at === undefined || at[1] !== level) return undefined;
  const m = NAME_AND_ADDRESS.exec(line.slice(text + INVALID_AUTH.length));
  const ip = m === null ? undefined : normalizeIp(m[2]!);
  if (ip === undefined || !(isHostName(m![1]!) || normalizeIp(m![1]!) !== undefined)) return null;
  const ev = stream.event(line, at[0], 'home-assistant');
  webLoginFailure(ev, ip, undefined);
  return stream.done(ev, at[0]);
}
