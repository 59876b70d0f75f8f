import ipaddr from 'ipaddr.js';
import type { EcsEvent } from '../../core/event.js';
import { textAt } from './find.js';

/**
 * Strict dotted-quad check without regex or allocation. Leading zeros are refused ("010" is
 * octal to some resolvers and decimal to others), so an ambiguous token never becomes an IP.
 */
export function isIPv4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let digits = 0;
  let value = 0;
  let lead = 0;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && lead === 48)) return false;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) lead = c;
      digits++;
      if (digits > 3) return false;
      value = value * 10 + (c - 48);
    } else return false;
  }
  return parts === 4;
}

/**
 * Hex digits, colons and dots only: 1 when some hex digit is uppercase, 0 when all are
 * lowercase already, -1 for any other character.
 */
function hexColonDotCase(s: string): number {
  let upper = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 58) || (c >= 97 && c <= 102) || c === 46) continue;
    if (c >= 65 && c <= 70) upper = 1;
    else return -1;
  }
  return upper;
}

/**
 * Normalize an address as logged into the canonical text used for entity keys: no brackets,
 * no port, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) folded to IPv4 (else one attacker shows up as
 * two entities), IPv6 in RFC 5952 form. Returns undefined for anything that is not an IP.
 */
export function normalizeIp(text: string): string | undefined {
  let s = text;
  if (s.length > 2 && s.charCodeAt(0) === 91 && s.charCodeAt(s.length - 1) === 93) s = s.slice(1, -1);
  if (isIPv4(s)) return s;
  if (s.length < 2 || s.length > 45 || s.indexOf(':') < 0) return undefined;
  // Only characters that lowercase to hex digits, colons and dots can make an address, and
  // toLowerCase is a runtime call (~300 ns): skip it when nothing is uppercase.
  const kind = hexColonDotCase(s);
  if (kind < 0) return undefined;
  const lower = kind === 0 ? s : s.toLowerCase();
  if (lower.startsWith('::ffff:') && isIPv4(lower.slice(7))) return lower.slice(7);
  // The same client usually logs several lines in a row: compare with the last one first.
  if (lower === lastV6In) return lastV6Out;
  let v: string | undefined;
  const hit = v6Cache.get(lower);
  if (hit !== undefined) v = hit === '' ? undefined : hit;
  else {
    v = normalizeIPv6(lower);
    // Bounded: a flood of distinct addresses only empties the cache, it never grows memory.
    if (v6Cache.size >= V6_CACHE_MAX) v6Cache.clear();
    v6Cache.set(lower, v ?? '');
  }
  lastV6In = lower;
  lastV6Out = v;
  return v;
}

let lastV6In = '';
let lastV6Out: string | undefined;

/**
 * IPv6 texts already normalized, '' for not an address. A log names the same clients again
 * and again, and ipaddr.js's parse + RFC 5952 formatting costs microseconds per address.
 */
const v6Cache = new Map<string, string>();
const V6_CACHE_MAX = 4096;

function normalizeIPv6(lower: string): string | undefined {
  if (!ipaddr.IPv6.isValid(lower)) return undefined;
  try {
    const a = ipaddr.IPv6.parse(lower);
    return a.isIPv4MappedAddress() ? a.toIPv4Address().toString() : a.toRFC5952String();
  } catch {
    return undefined;
  }
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

/** A DNS-style host name (what sshd logs with UseDNS, pam logs in rhost=...). */
export function isHostName(s: string): boolean {
  return s.length > 0 && s.length <= 253 && HOST_NAME.test(s);
}

/** An address as a peer: an IP (normalized) or a host name; undefined when it is neither. */
export type Peer = { readonly ip: string } | { readonly address: string };

export function parsePeer(text: string): Peer | undefined {
  for (let k = 0; k < recentTexts.length; k++) if (recentTexts[k] === text) return recentPeers[k];
  return remember(text, readPeer(text));
}

/**
 * `parsePeer(line.slice(start, end))` without the slice when the text is one of the recent
 * peers (an attacker's address repeats line after line).
 */
export function peerAt(line: string, start: number, end: number): Peer | undefined {
  const len = end - start;
  for (let k = 0; k < recentTexts.length; k++) {
    const t = recentTexts[k]!;
    if (t.length === len && textAt(line, start, t)) return recentPeers[k];
  }
  const text = line.slice(start, end);
  return remember(text, readPeer(text));
}

function readPeer(text: string): Peer | undefined {
  const ip = normalizeIp(text);
  if (ip !== undefined) return { ip };
  if (isHostName(text)) return { address: text };
  return undefined;
}

/**
 * The last few address texts and their peers (immutable, so shared). Besides sparing the
 * parse, a repeated address becomes the same string object on every line, which later map
 * look-ups compare by pointer. Only texts that are peers are kept.
 */
const RECENT_PEERS = 8;
const recentTexts: string[] = [];
const recentPeers: Peer[] = [];

function remember(text: string, peer: Peer | undefined): Peer | undefined {
  if (peer === undefined) return undefined;
  if (recentTexts.length >= RECENT_PEERS) {
    recentTexts.pop();
    recentPeers.pop();
  }
  recentTexts.unshift(text);
  recentPeers.unshift(peer);
  return peer;
}

/**
 * Split `host:port`, `[v6]:port` or `::ffff:1.2.3.4:port` (on the last colon). `portAlways`
 * says the writer always appends a port (dropbear), so `2001:db8::1:22` is split too; otherwise
 * a text that is a whole IPv6 address stays whole (Apache 2.2 logs `[client 2001:db8::1]`).
 */
export function splitHostPort(text: string, portAlways = false): { host: string; port: number | undefined } {
  if (text.charCodeAt(0) === 91) {
    const end = text.indexOf(']');
    if (end > 0) {
      const port = text.charCodeAt(end + 1) === 58 ? toPort(text.slice(end + 2)) : undefined;
      return { host: text.slice(1, end), port };
    }
  }
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return { host: text, port: undefined };
  const port = toPort(text.slice(colon + 1));
  if (port === undefined) return { host: text, port: undefined };
  const host = text.slice(0, colon);
  if (host.indexOf(':') < 0 || portAlways || normalizeIp(text) === undefined) return { host, port };
  return { host: text, port: undefined };
}

export function toPort(s: string): number | undefined {
  return toPortAt(s, 0, s.length);
}

/** `toPort` of `s[start, end)`, without cutting it out. */
export function toPortAt(s: string, start: number, end: number): number | undefined {
  const e = Math.min(end, s.length);
  if (e <= start || e - start > 5) return undefined;
  let v = 0;
  for (let i = start; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + c - 48;
  }
  return v <= 65535 ? v : undefined;
}

/** Set `source.ip` (or `source.address` for a name) from logged text; false when it is neither. */
export function setSource(ev: EcsEvent, text: string, port?: number): boolean {
  const peer = parsePeer(text);
  if (peer === undefined) return false;
  if ('ip' in peer) ev['source.ip'] = peer.ip;
  else ev['source.address'] = peer.address;
  if (port !== undefined) ev['source.port'] = port;
  return true;
}

export function setPeer(ev: EcsEvent, peer: Peer, port?: number): void {
  if ('ip' in peer) ev['source.ip'] = peer.ip;
  else ev['source.address'] = peer.address;
  if (port !== undefined) ev['source.port'] = port;
}

export function peerText(peer: Peer): string {
  return 'ip' in peer ? peer.ip : peer.address;
}
