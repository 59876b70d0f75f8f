import type { Rng } from './rng.js';

/** Which side of the ground truth an address block belongs to. */
export type Side = 'benign' | 'attacker';

/**
 * Hands out unique, public-looking addresses. Every IPv4 /24 and IPv6 /64 belongs to one side
 * only, so a detector that bans a whole range can still be scored: a range that covers a
 * benign address is a real false positive, never an accident of the generator. Attackers may
 * share a /24 on purpose (`near`), as rented servers of one hoster do.
 */
export interface AddressBook {
  ipv4(side: Side, near?: string): string;
  ipv6(side: Side): string;
  /** Mark a fixed address (a documentation address, say) as used by a side. */
  reserve(address: string, side: Side): void;
  sideOf(address: string): Side | undefined;
}

/** First octets that are neither private, loopback, CGNAT, link-local, multicast nor reserved. */
const FIRST_OCTETS: readonly number[] = (() => {
  const out: number[] = [];
  for (let o = 1; o <= 223; o++) if (o !== 10 && o !== 127 && o !== 100 && o !== 169 && o !== 172) out.push(o);
  return out;
})();

/** Second-level blocks to avoid inside otherwise public first octets. */
function reservedV4(a: number, b: number, c: number): boolean {
  if (a === 192 && (b === 168 || (b === 0 && (c === 0 || c === 2)) || (b === 88 && c === 99))) return true;
  if (a === 198 && (b === 18 || b === 19 || (b === 51 && c === 100))) return true;
  if (a === 203 && b === 0 && c === 113) return true;
  return false;
}

const V6_PREFIXES: readonly string[] = ['2a01', '2a02', '2a03', '2a05', '2001', '2600', '2602', '2604', '2607', '2800'];

function prefix24(address: string): string {
  return address.slice(0, address.lastIndexOf('.'));
}

function prefix64(address: string): string {
  return address.split(':').slice(0, 4).join(':');
}

export function createAddressBook(rng: Rng): AddressBook {
  const used = new Set<string>();
  const blockSide = new Map<string, Side>();
  const block = (address: string): string => (address.includes(':') ? prefix64(address) : prefix24(address));

  const claim = (address: string, side: Side): boolean => {
    if (used.has(address)) return false;
    const key = block(address);
    const owner = blockSide.get(key);
    if (owner !== undefined && owner !== side) return false;
    used.add(address);
    blockSide.set(key, side);
    return true;
  };

  return {
    ipv4(side, near) {
      for (let tries = 0; tries < 10_000; tries++) {
        if (near !== undefined && tries < 200) {
          const candidate = `${prefix24(near)}.${rng.int(2, 254)}`;
          if (claim(candidate, side)) return candidate;
          continue;
        }
        const a = rng.pick(FIRST_OCTETS);
        const b = rng.int(0, 255);
        const c = rng.int(0, 255);
        if (reservedV4(a, b, c)) continue;
        // A fresh /24 unless the caller asked for a neighbour: keeps the sides apart.
        if (blockSide.has(`${a}.${b}.${c}`)) continue;
        const candidate = `${a}.${b}.${c}.${rng.int(2, 254)}`;
        if (claim(candidate, side)) return candidate;
      }
      throw new Error('address space exhausted');
    },
    ipv6(side) {
      for (let tries = 0; tries < 10_000; tries++) {
        // No zero groups: the text is then already canonical (RFC 5952), as tools print it.
        const groups = [rng.pick(V6_PREFIXES), rng.int(0x100, 0xffff).toString(16), rng.int(1, 0xffff).toString(16)];
        groups.push(rng.int(1, 0xffff).toString(16));
        const candidate = `${groups.join(':')}::${rng.int(1, 0xffff).toString(16)}`;
        if (blockSide.has(prefix64(candidate))) continue;
        if (claim(candidate, side)) return candidate;
      }
      throw new Error('address space exhausted');
    },
    reserve(address, side) {
      used.add(address);
      blockSide.set(block(address), side);
    },
    sideOf(address) {
      return used.has(address) ? blockSide.get(block(address)) : undefined;
    },
  };
}
