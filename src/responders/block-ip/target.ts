import ipaddr from 'ipaddr.js';
import type { NftValue } from '../../platform/nft/json.js';

export type Family = 4 | 6;

/**
 * An address or CIDR in canonical form. `text` is the only thing ever written into an nft
 * script: it is rebuilt from parsed bytes, so a decision value can never inject nft syntax
 * (`1.2.3.4 } ; flush ruleset ; {` does not parse as an address and is refused).
 */
export interface BanTarget {
  readonly family: Family;
  /** `203.0.113.9`, `2001:db8::1`, `10.0.0.0/24`, or `a-b` for a non-CIDR interval listed by nft. */
  readonly text: string;
  /** A single address (goes to the ban4/ban6 hash sets); otherwise an interval (range4/range6). */
  readonly single: boolean;
  /** Inclusive interval, as integers, for containment tests. */
  readonly start: bigint;
  readonly end: bigint;
}

function toBig(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = 0n;
  for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

function width(family: Family): number {
  return family === 4 ? 32 : 128;
}

/** Parse one address strictly: four-part dotted IPv4 only, IPv6 without zone id, v4-mapped to v4. */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const t = text.trim();
  try {
    if (ipaddr.IPv4.isValidFourPartDecimal(t)) return ipaddr.IPv4.parse(t);
    // `127.1` or `0x7f000001` are legal inet_aton forms but no log line means them: refuse.
    if (!t.includes(':')) return undefined;
    const v6 = ipaddr.IPv6.parse(t);
    if (v6.zoneId !== undefined) return undefined;
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  } catch {
    return undefined;
  }
}

function fromAddress(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): BanTarget {
  const family: Family = addr.kind() === 'ipv4' ? 4 : 6;
  const w = width(family);
  const hostBits = BigInt(w - bits);
  const hostMask = (1n << hostBits) - 1n;
  const start = toBig(addr) & ~hostMask;
  const end = start | hostMask;
  if (bits === w) {
    const text = family === 4 ? addr.toString() : (addr as ipaddr.IPv6).toRFC5952String();
    return { family, text, single: true, start, end };
  }
  return { family, text: `${bigToText(start, family)}/${bits}`, single: false, start, end };
}

export function bigToText(n: bigint, family: Family): string {
  const bytes: number[] = [];
  for (let i = width(family) / 8 - 1; i >= 0; i--) bytes.push(Number((n >> BigInt(i * 8)) & 0xffn));
  const addr = ipaddr.fromByteArray(bytes);
  return addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}

/**
 * Parse an address (`203.0.113.9`) or CIDR (`10.0.0.0/24`; host bits are cleared) into a
 * canonical target; undefined for anything else. A /32 or /128 is a single address.
 */
export function parseTarget(value: string): BanTarget | undefined {
  if (typeof value !== 'string' || value.length > 100) return undefined;
  const slash = value.indexOf('/');
  if (slash < 0) {
    const addr = parseAddress(value);
    return addr ? fromAddress(addr, addr.kind() === 'ipv4' ? 32 : 128) : undefined;
  }
  const addrText = value.slice(0, slash);
  const bitsText = value.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  let bits = Number(bitsText);
  const addr = parseAddress(addrText);
  if (!addr) return undefined;
  // A v4-mapped prefix (::ffff:10.0.0.0/104) is the IPv4 prefix 10.0.0.0/8.
  if (addr.kind() === 'ipv4' && addrText.includes(':')) bits -= 96;
  if (bits < 0 || bits > (addr.kind() === 'ipv4' ? 32 : 128)) return undefined;
  return fromAddress(addr, bits);
}

/** Convert a listed set element value back into a target; undefined for forms Leuko never writes. */
export function targetFromNft(val: NftValue): BanTarget | undefined {
  if (typeof val === 'string') return parseTarget(val);
  if (typeof val !== 'object' || val === null) return undefined;
  if ('prefix' in val && typeof val.prefix === 'object' && val.prefix !== null) {
    const p = val.prefix as { addr?: unknown; len?: unknown };
    if (typeof p.addr === 'string' && typeof p.len === 'number') return parseTarget(`${p.addr}/${p.len}`);
    return undefined;
  }
  if ('range' in val && Array.isArray(val.range)) {
    const [a, b] = val.range as unknown[];
    const lo = typeof a === 'string' ? parseTarget(a) : undefined;
    const hi = typeof b === 'string' ? parseTarget(b) : undefined;
    if (!lo || !hi || lo.family !== hi.family || !lo.single || !hi.single) return undefined;
    return { family: lo.family, text: `${lo.text}-${hi.text}`, single: false, start: lo.start, end: hi.end };
  }
  return undefined;
}

export function contains(outer: BanTarget, inner: BanTarget): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

export function overlaps(a: BanTarget, b: BanTarget): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/**
 * Sources Leuko never drops, whatever a decision or the allowlist says: loopback (dropping it
 * breaks local services, Leuko's own API included) and the unspecified address (DHCP clients
 * send from 0.0.0.0; dropping it can cost the host its lease).
 */
const NEVER = ['127.0.0.0/8', '0.0.0.0', '::1', '::'].map((t) => parseTarget(t) as BanTarget);

/** The never-ban entry this target overlaps, if any (a range containing loopback counts). */
export function neverBan(target: BanTarget): string | undefined {
  return NEVER.find((n) => overlaps(n, target))?.text;
}
