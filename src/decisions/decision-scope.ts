import ipaddr from 'ipaddr.js';
import type { EntityType } from '../core/entity.js';

/** `ip` bans single addresses; `/N` (for example `/64`) bans the IPv6 prefix of that length. */
export type Ipv6Scope = 'ip' | `/${number}`;

/**
 * The scope and value a ban applies to. IPv6 attackers get a whole /64 for free from any
 * provider, so banning one address is often useless; `/64` bans the prefix instead.
 */
export function banTarget(address: string, ipv6Scope: Ipv6Scope): { scope: EntityType; value: string } | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return undefined;
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return { scope: 'ip', value: v6.toIPv4Address().toString() };
    const bits = ipv6Scope === 'ip' ? 128 : Number(ipv6Scope.slice(1));
    if (Number.isInteger(bits) && bits >= 16 && bits < 128) {
      const network = ipaddr.IPv6.networkAddressFromCIDR(`${v6.toString()}/${bits}`);
      return { scope: 'range', value: `${network.toString()}/${bits}` };
    }
    return { scope: 'ip', value: v6.toString() };
  }
  return { scope: 'ip', value: parsed.toString() };
}
