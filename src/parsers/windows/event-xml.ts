import type { ParsedLine } from '../../core/event.js';
import { normalizeIp, toPort } from '../shared/address.js';
import { AUTHENTICATION, type Stream } from '../shared/stream.js';
import { isoAt } from '../shared/time.js';

/**
 * Windows Security logon events rendered as XML, one `<Event xmlns=...>...</Event>` per line
 * (what `wevtutil qe Security /f:xml` and event forwarders write): 4625, an account failed to log
 * on, and 4624, one logged on. The client is the `IpAddress` data field (`-` for a local logon:
 * none), the account `TargetUserName` / `TargetDomainName`. The user name and the workstation name
 * are the client's text, escaped by the XML rendering; a line naming any field twice (text that
 * was not escaped) keeps no event.
 */
const EVENT_HEAD = '<Event ';
const PROVIDER = '<Provider Name="Microsoft-Windows-Security-Auditing"';
const LOGONS: Record<string, boolean> = { '4625': false, '4624': true };

/** The text of `<TAG>...</TAG>`, once; undefined when absent, null when named twice. */
function only(line: string, open: string, close: string): string | undefined | null {
  const at = line.indexOf(open);
  if (at < 0) return undefined;
  if (line.indexOf(open, at + open.length) >= 0) return null;
  const start = at + open.length;
  const end = line.indexOf(close, start);
  return end < 0 ? null : line.slice(start, end);
}

const data = (line: string, name: string) => only(line, `<Data Name="${name}">`, '</Data>');

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };
const xmlText = (text: string) => text.replace(/&(?:lt|gt|quot|apos|amp);/g, (e) => ENTITIES[e]!);

/** A 4625/4624 event line; null when a field is named twice (dropped); undefined for any other line. */
export function windowsEventLine(stream: Stream, line: string): ParsedLine | null | undefined {
  if (!line.startsWith(EVENT_HEAD) || !line.includes(PROVIDER)) return undefined;
  const id = only(line, '<EventID>', '</EventID>');
  if (typeof id !== 'string') return undefined;
  const success = LOGONS[id];
  if (success === undefined) return undefined;
  const addr = data(line, 'IpAddress');
  const user = data(line, 'TargetUserName');
  const domain = data(line, 'TargetDomainName');
  const port = data(line, 'IpPort');
  const logonType = data(line, 'LogonType');
  if (addr === null || user === null || domain === null || port === null || logonType === null) return null;
  const stamp = only(line, '<TimeCreated SystemTime="', '"');
  const at = typeof stamp === 'string' ? isoAt(stamp, 0, stream.local) : undefined;
  const time = at === undefined ? stream.ctx.clock.now() : at[0];
  const computer = only(line, '<Computer>', '</Computer>');
  const ev = stream.event(line, time, 'windows.security', typeof computer === 'string' ? computer : undefined);
  ev['event.code'] = id;
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = success ? 'windows_logon' : 'windows_logon_failure';
  ev['event.outcome'] = success ? 'success' : 'failure';
  // `-` (a local logon) or anything else that is no address: the event keeps no client.
  const ip = addr === undefined ? undefined : normalizeIp(addr);
  if (ip !== undefined) {
    ev['source.ip'] = ip;
    const p = port === undefined ? undefined : toPort(port);
    if (p !== undefined && p > 0) ev['source.port'] = p;
  }
  if (user !== undefined && user !== '-' && user.length > 0) ev['user.name'] = xmlText(user);
  if (domain !== undefined && domain !== '-' && domain.length > 0) ev['user.domain'] = xmlText(domain);
  if (logonType !== undefined) ev['leuko.windows.logon_type'] = logonType;
  const status = data(line, 'SubStatus') ?? data(line, 'Status');
  if (typeof status === 'string' && status !== '0x0') ev['event.reason'] = status;
  return stream.done(ev, time);
}
