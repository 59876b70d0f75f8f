import ipaddr from 'ipaddr.js';
import type { Allowlist } from '../policy/allowlist.js';

/** Limits on what a fleet decision may block, whoever signed it. */
export interface ScopeLimits {
  /** Narrowest allowed IPv4 range prefix for a fleet ban (a /16 is wider than a /24). */
  readonly minPrefixV4: number;
  readonly minPrefixV6: number;
}

export type ScopeCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * The bounds a fleet decision must stay within before any trust question is asked: a valid
 * address or range, never the whole internet (0.0.0.0/0, ::/0), no range wider than the
 * configured prefix, nothing this host allowlists, nothing that is one of the fleet's own hosts.
 */
export function checkScope(
  scope: string,
  value: string,
  limits: ScopeLimits,
  allowlist: Allowlist,
  fleetAddresses: Allowlist,
): ScopeCheck {
  if (scope !== 'ip' && scope !== 'range') return { ok: false, reason: `scope ${scope} is not shared by the fleet` };
  let kind: 'ipv4' | 'ipv6';
  let bits: number;
  try {
    if (scope === 'range') {
      const [addr, prefix] = ipaddr.parseCIDR(value);
      kind = addr.kind();
      bits = prefix;
    } else {
      if (value.includes('/')) return { ok: false, reason: `an ip decision carries a range: ${value}` };
      kind = ipaddr.parse(value).kind();
      bits = kind === 'ipv4' ? 32 : 128;
    }
  } catch {
    return { ok: false, reason: `not an address or range: ${JSON.stringify(value)}` };
  }
  if (bits === 0) return { ok: false, reason: `${value} is the whole ${kind} internet` };
  const min = kind === 'ipv4' ? limits.minPrefixV4 : limits.minPrefixV6;
  if (bits < min) return { ok: false, reason: `${value} is wider than the fleet's limit /${min} for ${kind}` };
  const allowed = allowlist.match(value);
  if (allowed !== undefined) return { ok: false, reason: `${value} is allowlisted here (${allowed})` };
  const own = fleetAddresses.match(value);
  if (own !== undefined) return { ok: false, reason: `${value} covers a fleet host (${own})` };
  return { ok: true };
}
