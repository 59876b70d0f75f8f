import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { createAddressBook } from './addresses.js';
import { createRng } from './rng.js';

const block = (a: string): string =>
  a.includes(':') ? a.split(':').slice(0, 4).join(':') : a.slice(0, a.lastIndexOf('.'));

describe('createAddressBook', () => {
  it('hands out unique public unicast addresses, each block owned by one side', () => {
    const book = createAddressBook(createRng(1));
    const seen = new Set<string>();
    const owner = new Map<string, string>();
    for (let i = 0; i < 5000; i++) {
      const side = i % 3 === 0 ? 'benign' : 'attacker';
      const a = i % 7 === 0 ? book.ipv6(side) : book.ipv4(side);
      expect(seen.has(a)).toBe(false);
      seen.add(a);
      expect(ipaddr.parse(a).range()).toBe('unicast');
      // The text is canonical, as tools print addresses.
      expect(ipaddr.parse(a).toString()).toBe(a);
      const prev = owner.get(block(a));
      if (prev !== undefined) expect(prev).toBe(side);
      owner.set(block(a), side);
      expect(book.sideOf(a)).toBe(side);
    }
  });

  it('puts a neighbour in the same /24 when asked', () => {
    const book = createAddressBook(createRng(2));
    const first = book.ipv4('attacker');
    const near = book.ipv4('attacker', first);
    expect(block(near)).toBe(block(first));
    expect(near).not.toBe(first);
  });

  it('never gives a reserved address or its block to the other side', () => {
    const book = createAddressBook(createRng(3));
    book.reserve('203.0.113.9', 'benign');
    expect(book.sideOf('203.0.113.9')).toBe('benign');
    for (let i = 0; i < 100; i++) expect(block(book.ipv4('attacker', '203.0.113.9'))).not.toBe('203.0.113');
  });
});
