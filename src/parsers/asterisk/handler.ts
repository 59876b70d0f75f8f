import type { EcsEvent, ParsedLine } from '../../core/event.js';
import { normalizeIp, splitHostPort } from '../shared/address.js';
import type { Stream } from '../shared/stream.js';
import { AUTHENTICATION } from '../shared/stream.js';
import { digitsAt, type LocalTime, monthAt, type YearGuesser } from '../shared/time.js';
import type { ProgramHandler } from '../syslog/handler.js';

/** res_security_log events that are a peer's failure, and the one that is its success. */
const SECURITY_FAILURES = new Set([
  'InvalidAccountID',
  'ChallengeResponseFailed',
  'InvalidPassword',
  'FailedACL',
  'AuthMethodNotAllowed',
  'UnexpectedAddress',
  'RequestNotAllowed',
]);

/**
 * Asterisk's refusals of a SIP, IAX2 or AMI peer, in its `messages`/`security` log or through
 * syslog. Most name the client's own words first (the SIP From header, the account, the
 * dialled extension), so each form is anchored on text Asterisk writes around the address, and
 * a line where that anchor appears more than once (planted in the client's words) is dropped.
 */
export function fillAsterisk(msg: string, ev: EcsEvent): boolean {
  const security = msg.indexOf('SecurityEvent="');
  if (security >= 0) return securityEvent(msg, security, ev);
  let m: RegExpExecArray | null;
  // chan_sip / res_pjsip: `Registration from '<sip:...>' failed for '1.2.3.4:5060' - Wrong password`,
  // `Request 'INVITE' from '...' failed for '1.2.3.4:5060' (callid: ...) - No matching endpoint found`.
  if ((m = /(?:Registration|Request(?: '[A-Z]+')?) from '/.exec(msg)) !== null) {
    const once = only(msg, "' failed for '", m.index);
    if (once === -2) return false;
    if (once < 0) return true;
    const start = once + 14;
    const end = msg.indexOf("'", start);
    if (end < 0 || !peer(msg.slice(start, end), ev)) return true;
    return failure(ev, 'sip_auth_failure', reasonAfter(msg, end));
  }
  // `Call from '' (1.2.3.4:10836) to extension '...' rejected because extension not found`.
  if ((m = /Call from '/.exec(msg)) !== null && msg.includes('rejected because extension not found')) {
    const re = / \((?:(?:TCP|UDP|TLS|WS|WSS):)?(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+?):(\d+)\) to extension '/g;
    const hits = [...msg.slice(m.index).matchAll(re)];
    if (hits.length > 1) return false;
    if (hits.length === 0 || !peer(hits[0]![1]!.replace(/^\[|\]$/g, ''), ev)) return true;
    return failure(ev, 'sip_call_rejected', 'extension not found');
  }
  // AMI: `192.0.2.1 failed to authenticate as 'admin'`, `... tried to authenticate with nonexistent user 'x'`.
  if (
    (m = /(?:^|: )([0-9A-Fa-f:.]+) (failed to authenticate as|tried to authenticate with nonexistent user) '/.exec(
      msg,
    )) !== null
  ) {
    if (!peer(m[1]!, ev)) return true;
    return failure(ev, 'ami_auth_failure', m[2]!);
  }
  // IAX2: `Host 1.2.3.4 failed to authenticate as 'x'`, `Host 1.2.3.4 failed MD5 authentication for 'x' (...)`.
  if ((m = /(?:^|: )Host ([0-9A-Fa-f:.]+) failed (?:to authenticate as|MD5 authentication for) '/.exec(msg)) !== null) {
    if (!peer(m[1]!, ev)) return true;
    return failure(ev, 'iax_auth_failure', 'authentication failed');
  }
  // IAX2: `No registration for peer 'x' (from 1.2.3.4)`: the peer name is the client's, the end Asterisk's.
  if ((m = /No registration for peer '.*' \(from ([0-9A-Fa-f:.]+)\)$/.exec(msg)) !== null) {
    if (!peer(m[1]!, ev)) return true;
    return failure(ev, 'iax_auth_failure', 'no registration for peer');
  }
  if ((m = /(?:^|: )hacking attempt detected '([0-9A-Fa-f:.]+)'$/.exec(msg)) !== null) {
    if (!peer(m[1]!, ev)) return true;
    return failure(ev, 'sip_auth_failure', 'hacking attempt detected');
  }
  // dialplan guard (FreePBX): `Rejecting unknown SIP connection from 1.2.3.4`.
  if (
    (m = /Rejecting unknown SIP connection from (\[[0-9A-Fa-f:.]+\](?::\d+)?|[0-9A-Fa-f:.]+)"?$/.exec(msg)) !== null
  ) {
    if (!peer(m[1]!, ev)) return true;
    return failure(ev, 'sip_call_rejected', 'unknown SIP connection');
  }
  return true;
}

/**
 * `SecurityEvent="InvalidPassword",...,AccountID="x",SessionID="...",LocalAddress="IPV4/UDP/..",
 * RemoteAddress="IPV4/UDP/1.2.3.4/5060",...`: the account and session are the client's text
 * (written raw), so exactly one RemoteAddress must be there.
 */
function securityEvent(msg: string, at: number, ev: EcsEvent): boolean {
  const nameEnd = msg.indexOf('"', at + 15);
  if (nameEnd < 0) return true;
  const name = msg.slice(at + 15, nameEnd);
  const remote = only(msg, ',RemoteAddress="', at);
  if (remote === -2) return false;
  if (remote < 0) return true;
  const start = remote + 16;
  const end = msg.indexOf('"', start);
  const parts = (end < 0 ? '' : msg.slice(start, end)).split('/');
  // IPV4/UDP/1.2.3.4/5060 or IPV6/UDP/2001:db8::1/5060
  if (parts.length < 3 || !peer(parts[2]!, ev)) return true;
  const port = Number(parts[3]);
  if (Number.isInteger(port) && port > 0 && port < 65536) ev['source.port'] = port;
  const account = /,AccountID="([^"]*)"/.exec(msg.slice(at));
  if (account !== null && account[1] !== '') ev['user.name'] = account[1]!;
  const service = /,Service="([A-Z0-9]+)"/.exec(msg.slice(at));
  if (service !== null) ev['network.protocol'] = service[1]!.toLowerCase();
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = 'asterisk_security_event';
  ev['event.reason'] = name;
  if (SECURITY_FAILURES.has(name)) ev['event.outcome'] = 'failure';
  else if (name === 'SuccessfulAuth') ev['event.outcome'] = 'success';
  return true;
}

/** Where `text` occurs once from `from` on; -1 when never, -2 when more than once. */
function only(msg: string, text: string, from: number): number {
  const first = msg.indexOf(text, from);
  if (first < 0) return -1;
  return msg.indexOf(text, first + 1) >= 0 ? -2 : first;
}

function peer(text: string, ev: EcsEvent): boolean {
  const { host, port } = splitHostPort(text);
  const ip = normalizeIp(host);
  if (ip === undefined) return false;
  ev['source.ip'] = ip;
  if (port !== undefined) ev['source.port'] = port;
  return true;
}

function reasonAfter(msg: string, quote: number): string | undefined {
  const dash = msg.lastIndexOf(' - ');
  return dash > quote ? msg.slice(dash + 3).trim() || undefined : undefined;
}

function failure(ev: EcsEvent, action: string, reason: string | undefined): true {
  ev['event.category'] = AUTHENTICATION;
  ev['event.action'] = action;
  ev['event.outcome'] = 'failure';
  if (reason !== undefined) ev['event.reason'] = reason;
  return true;
}

/** asterisk through syslog. */
export function createAsteriskHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'asterisk';
    return fillAsterisk(env.msg, ev);
  };
}

/**
 * `[2012-02-13 17:21:54] NOTICE[1638] ` or `[Jan 18 17:39:50] NOTICE[12049]: ` at the start of
 * Asterisk's own log files: [time, message start], the level and thread left in the message.
 */
export function asteriskHead(line: string, local: LocalTime, guess: YearGuesser): [number, number] | null {
  if (line.charCodeAt(0) !== 91) return null;
  let y = -1;
  let mo: number;
  let d: number;
  let i: number;
  if (line.charCodeAt(5) === 45) {
    y = digitsAt(line, 1, 4);
    mo = digitsAt(line, 6, 2) - 1;
    d = digitsAt(line, 9, 2);
    i = 12;
    if (y < 0 || line.charCodeAt(8) !== 45 || line.charCodeAt(11) !== 32) return null;
  } else {
    mo = monthAt(line, 1);
    d = digitsAt(line, 5, 2);
    if (d < 0) d = digitsAt(line, 6, 1);
    i = 8;
    if (mo < 0 || line.charCodeAt(4) !== 32 || line.charCodeAt(7) !== 32) return null;
  }
  const h = digitsAt(line, i, 2);
  const mi = digitsAt(line, i + 3, 2);
  const s = digitsAt(line, i + 6, 2);
  if (mo < 0 || d < 1 || h < 0 || mi < 0 || s < 0 || line.charCodeAt(i + 2) !== 58 || line.charCodeAt(i + 5) !== 58)
    return null;
  let j = i + 8;
  let ms = 0;
  if (line.charCodeAt(j) === 46) {
    const f = digitsAt(line, j + 1, 3);
    if (f >= 0) ms = f;
    while (line.charCodeAt(j + 1) >= 48 && line.charCodeAt(j + 1) <= 57) j++;
    j++;
  }
  if (!line.startsWith('] ', j)) return null;
  // A level word and a thread number follow: `NOTICE[1638]`, `SECURITY[77]:`, `WARNING[6756][C-0000001d]`.
  if (!/^[A-Z]+ ?\[\d+\]/.test(line.slice(j + 2, j + 40))) return null;
  // `[Jan 18 17:39:50]` has no year: guessed as syslog readers do.
  const time = y < 0 ? guess(mo, d, h, mi, s, ms) : local(y, mo, d, h, mi, s, ms);
  return Number.isFinite(time) ? [time, j + 2] : null;
}

/** A line of Asterisk's own log file as an `asterisk` event; undefined when the line is not one. */
export function asteriskLine(stream: Stream, line: string): ParsedLine | null | undefined {
  const head = asteriskHead(line, stream.local, stream.guessYear);
  if (head === null) return undefined;
  const ev = stream.event(line, head[0], 'asterisk');
  if (!fillAsterisk(line.slice(head[1]).trimEnd(), ev)) return null;
  return stream.done(ev, head[0]);
}
