import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IpTrie, parseIpv6, parsePrefix } from './ip-trie.js';

function add(t: IpTrie, cidr: string, v: number): void {
  const p = parsePrefix(cidr)!;
  t.insert(p.words, p.bits, v);
}
function look(t: IpTrie, ip: string): number {
  const p = parsePrefix(ip)!;
  return t.match(p.words, p.bits);
}

describe('IpTrie', () => {
  it('finds the longest matching prefix', () => {
    const t = new IpTrie();
    add(t, '10.0.0.0/8', 1);
    add(t, '10.1.0.0/16', 2);
    add(t, '10.1.2.3', 3);
    expect(look(t, '10.9.9.9')).toBe(1);
    expect(look(t, '10.1.9.9')).toBe(2);
    expect(look(t, '10.1.2.3')).toBe(3);
    expect(look(t, '11.0.0.1')).toBe(-1);
  });
  it('handles IPv6 prefixes and embedded IPv4', () => {
    const t = new IpTrie();
    add(t, '2001:db8::/32', 7);
    expect(look(t, '2001:db8:1::5')).toBe(7);
    expect(look(t, '2001:db9::1')).toBe(-1);
    expect(parseIpv6('::ffff:192.0.2.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
    expect(parseIpv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('1::2::3')).toBeUndefined();
  });
  it('agrees with a linear scan on random prefixes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })), { maxLength: 30 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (prefixes, probe) => {
          const t = new IpTrie();
          for (const [i, [a, bits]] of prefixes.entries()) t.insert([a >>> 16, a & 0xffff], bits, i);
          let best = -1;
          let bestBits = -1;
          prefixes.forEach(([a, bits], i) => {
            const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
            if ((a & mask) >>> 0 === (probe & mask) >>> 0 && bits >= bestBits) {
              best = i;
              bestBits = bits;
            }
          });
          // Equal prefixes: the later insert wins, as in the scan.
          expect(t.match([probe >>> 16, probe & 0xffff], 32)).toBe(best);
        },
      ),
    );
  });
});
