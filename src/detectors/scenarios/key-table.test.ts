import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from './key-table.js';

type Op = { op: 'take' | 'drop'; key: string } | { op: 'collect' };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('take' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
    fc.record({ op: fc.constant('drop' as const), key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
    fc.record({ op: fc.constant('collect' as const) }),
  ),
  { maxLength: 200 },
) as fc.Arbitrary<Op[]>;

describe('KeyTable', () => {
  it('a held slot keeps its key; unheld keys leave at collect and their slots are reused', () => {
    fc.assert(
      fc.property(ops, (list) => {
        const t = new KeyTable();
        // Model: holders per key, and the slot each held key was given.
        const held = new Map<string, number>();
        const slotOfKey = new Map<string, number>();
        for (const o of list) {
          if (o.op === 'take') {
            const s = t.slotOf(o.key);
            const before = slotOfKey.get(o.key);
            if (before !== undefined) expect(s).toBe(before);
            slotOfKey.set(o.key, s);
            t.hold(s);
            held.set(o.key, (held.get(o.key) ?? 0) + 1);
          } else if (o.op === 'drop') {
            const n = held.get(o.key) ?? 0;
            if (n === 0) continue;
            t.drop(t.find(o.key));
            held.set(o.key, n - 1);
          } else {
            t.collect();
            for (const [k, n] of held) if (n === 0) slotOfKey.delete(k);
          }
          // Held keys: same slot, found, named by their slot; no two keys share a slot.
          const slots = new Set<number>();
          for (const [k, s] of slotOfKey) {
            expect(t.find(k)).toBe(s);
            expect(t.keyAt(s)).toBe(k);
            expect(slots.has(s)).toBe(false);
            slots.add(s);
          }
          expect(t.size).toBe(slotOfKey.size);
        }
        t.collect();
        for (const [k, n] of held) expect(t.find(k) >= 0).toBe(n > 0);
        // Slots are recycled: never more than the keys ever live at once.
        expect(t.capacity).toBeLessThanOrEqual(6);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a key that drains and comes back before the sweep on the same slot', () => {
    const t = new KeyTable();
    const s = t.slotOf('10.0.0.1');
    t.hold(s);
    t.drop(s);
    expect(t.slotOf('10.0.0.1')).toBe(s);
    t.collect();
    expect(t.find('10.0.0.1')).toBe(-1);
    expect(t.slotOf('10.0.0.2')).toBe(s);
  });
});
