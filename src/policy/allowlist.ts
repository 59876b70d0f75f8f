import ipaddr from 'ipaddr.js';

/**
 * Addresses nothing may act against: configured CIDRs, loopback, the host's own addresses.
 * Checked at decision time (decisions are rare), so a linear scan over parsed ranges is fine;
 * the parsed form avoids re-parsing per check.
 */
export interface Allowlist {
  /** The matching entry (for the audit trail) or undefined. */
  match(address: string): string | undefined;
  readonly entries: readonly string[];
}

type Range = { text: string; addr: ipaddr.IPv4 | ipaddr.IPv6; bits: number };

/** Parse an address or CIDR; undefined when it is neither. */
export function parseCidr(text: string): Range | undefined {
  const t = text.trim();
  try {
    if (t.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(t);
      return {
        text: t,
        addr: normalize(addr),
        bits: addr.kind() === 'ipv6' && normalize(addr).kind() === 'ipv4' ? Math.max(0, bits - 96) : bits,
      };
    }
    const addr = normalize(ipaddr.parse(t));
    return { text: t, addr, bits: addr.kind() === 'ipv4' ? 32 : 128 };
  } catch {
    return undefined;
  }
}

function normalize(a: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  // ::ffff:1.2.3.4 is the IPv4 host 1.2.3.4: an allowlisted IPv4 must match it too.
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) return (a as ipaddr.IPv6).toIPv4Address();
  return a;
}

/** Loopback is always allowlisted, whatever the configuration says. */
export const ALWAYS_ALLOWED = ['127.0.0.0/8', '::1/128'] as const;

export function createAllowlist(entries: readonly string[]): Allowlist {
  const all = [...ALWAYS_ALLOWED, ...entries];
  const ranges: Range[] = [];
  for (const e of all) {
    const r = parseCidr(e);
    if (r) ranges.push(r);
  }
  // Verdicts per address text: the ranges never change after creation, and an address that
  // trips one scenario usually trips several within seconds (each detection asks again).
  let verdicts = new Map<string, string | undefined>();
  const VERDICTS_MAX = 4096;
  function lookup(address: string): string | undefined {
    const target = parseCidr(address);
    if (!target) return undefined;
    for (const r of ranges) {
      if (r.addr.kind() !== target.addr.kind()) continue;
      // A range decision (e.g. an IPv6 /64) is blocked when it overlaps an allowlisted range
      // in either direction: banning a /64 that contains an allowlisted host would cut it off.
      const bits = Math.min(r.bits, target.bits);
      if (target.addr.match(r.addr, bits)) return r.text;
    }
    return undefined;
  }
  return {
    entries: all,
    match(address) {
      if (verdicts.has(address)) return verdicts.get(address);
      const verdict = lookup(address);
      if (verdicts.size >= VERDICTS_MAX) verdicts = new Map();
      verdicts.set(address, verdict);
      return verdict;
    },
  };
}
