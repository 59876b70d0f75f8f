/** How long an address a member once advertised stays protected after its last mention. */
export const MEMBER_ADDRESS_KEEP_MS = 24 * 3600 * 1000;

/** Most addresses kept per member: a heartbeat carries at most 64; room for a renumbering. */
const PER_MEMBER = 256;

/**
 * The fleet's own hosts as their signed heartbeats advertise them, remembered for a day after
 * the last heartbeat that named each address rather than replaced by the latest heartbeat. A
 * host lists only the addresses of interfaces that are up at that instant (Node's
 * networkInterfaces skips a link that is down), so one heartbeat sent while a link flapped
 * would otherwise leave that member's address open to a fleet ban until its next beat.
 *
 * @example
 * const members = createMemberAddresses();
 * if (members.record('b', ['10.0.0.6'], Date.now())) rebuildAllowlist(members.list(Date.now()));
 */
export interface MemberAddresses {
  /** Record one heartbeat's addresses; true when the protected set gained an address. */
  record(agent: string, addresses: readonly string[], now: number): boolean;
  /** Every address still protected at `now` (expired ones are forgotten). */
  list(now: number): string[];
  /** True when some address expired since the last list(), so the caller should rebuild. */
  stale(now: number): boolean;
}

export function createMemberAddresses(keepMs = MEMBER_ADDRESS_KEEP_MS): MemberAddresses {
  // agent -> address -> when it was last advertised; Map order is kept oldest-first.
  const members = new Map<string, Map<string, number>>();
  let nextExpiry = Number.POSITIVE_INFINITY;

  return {
    record(agent, addresses, now) {
      let seen = members.get(agent);
      if (!seen) {
        seen = new Map();
        members.set(agent, seen);
      }
      let gained = false;
      for (const address of addresses) {
        if (!seen.has(address)) gained = true;
        seen.delete(address);
        seen.set(address, now);
        nextExpiry = Math.min(nextExpiry, now + keepMs);
      }
      // Oldest first: a member renumbered many times keeps its most recent addresses.
      while (seen.size > PER_MEMBER) seen.delete(seen.keys().next().value as string);
      return gained;
    },
    list(now) {
      const out: string[] = [];
      nextExpiry = Number.POSITIVE_INFINITY;
      for (const [agent, seen] of members) {
        for (const [address, at] of seen) {
          if (now - at > keepMs) seen.delete(address);
          else {
            out.push(address);
            nextExpiry = Math.min(nextExpiry, at + keepMs);
          }
        }
        if (seen.size === 0) members.delete(agent);
      }
      return [...new Set(out)];
    },
    stale(now) {
      return now > nextExpiry;
    },
  };
}
