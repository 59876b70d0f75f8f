import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lru } from './lru.js';

describe('Lru', () => {
  it('stays within its bound and never evicts what was used in the last max/2 placements', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 20 }),
        fc.array(fc.record({ op: fc.constantFrom('get', 'set', 'peek', 'delete'), key: fc.nat({ max: 40 }) }), {
          maxLength: 400,
        }),
        (max, ops) => {
          const lru = new Lru<number>(max);
          // Each get or set places at most one entry, so "max / 2 placements ago" is at least
          // max / 2 of these operations ago.
          let t = 0;
          const lastUse = new Map<string, number>();
          for (const [i, { op, key }] of ops.entries()) {
            const k = String(key);
            if (op === 'set') {
              const before = [...lru.entries()].map(([x]) => x);
              lru.set(k, i);
              lastUse.set(k, ++t);
              for (const gone of before)
                if (gone !== k && lru.peek(gone) === undefined)
                  expect(t - (lastUse.get(gone) ?? 0)).toBeGreaterThanOrEqual(max / 2);
            } else if (op === 'get') {
              const had = lru.peek(k);
              expect(lru.get(k)).toBe(had);
              t++;
              if (had !== undefined) lastUse.set(k, t);
            } else if (op === 'peek') lru.peek(k);
            else lru.delete(k);
            expect(lru.size).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });

  it('keeps what is touched and drops the idle first', () => {
    const lru = new Lru<string>(4);
    for (const k of ['a', 'b', 'c', 'd']) lru.set(k, k);
    // Three placements since `a` was placed: more than max / 2, so the touch moves it.
    lru.get('a');
    lru.set('e', 'e');
    expect(lru.peek('a')).toBe('a');
    expect(lru.peek('b')).toBeUndefined();
    expect(lru.evicted).toBe(1);
    expect([...lru.entries()].map(([k]) => k)).toEqual(['c', 'd', 'a', 'e']);
  });
});
