import type { EntityType } from '../core/entity.js';
import { banTarget, type Ipv6Scope } from './decision-scope.js';

/** Addresses remembered before the cache starts over (a flood of new addresses stays bounded). */
const TARGET_CACHE_MAX = 4096;

type Target = { scope: EntityType; value: string } | undefined;

/**
 * `banTarget` per address, remembered: an address that trips one scenario usually trips several
 * (ssh-bf, ssh-slow-bf, ssh-user-enum... within seconds), and parsing it again for each
 * detection was most of a decision's cost. Pure function of the address and the scope, so a
 * cached answer is always the answer.
 */
export function createTargetCache(ipv6Scope: Ipv6Scope): { of(address: string): Target } {
  let known = new Map<string, Target>();
  return {
    of(address) {
      if (known.has(address)) return known.get(address);
      const target = banTarget(address, ipv6Scope);
      if (known.size >= TARGET_CACHE_MAX) known = new Map();
      known.set(address, target);
      return target;
    },
  };
}
