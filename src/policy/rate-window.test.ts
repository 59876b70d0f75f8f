import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBucketCounter, createCapWindow } from './rate-window.js';

describe('cap window', () => {
  it('allows exactly `capacity` per sliding window', () => {
    const w = createCapWindow(3, 1000);
    for (const t of [0, 10, 20]) {
      expect(w.allows(t)).toBe(true);
      w.record(t);
    }
    expect(w.allows(999)).toBe(false);
    expect(w.allows(1000)).toBe(true);
    expect(w.used(1000)).toBe(2);
    expect(w.times()).toEqual([0, 10, 20]);
  });

  it('property: admitting whenever allowed never puts more than the cap in [t, t + window)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 200 }),
        (cap, gaps) => {
          const w = createCapWindow(cap, 1000);
          const admitted: number[] = [];
          let t = 0;
          for (const g of gaps) {
            t += g;
            if (w.allows(t)) {
              w.record(t);
              admitted.push(t);
            }
          }
          for (let i = 0; i < admitted.length; i++) {
            const inWindow = admitted.filter((x) => x >= (admitted[i] as number) && x < (admitted[i] as number) + 1000);
            expect(inWindow.length).toBeLessThanOrEqual(cap);
          }
        },
      ),
    );
  });

  it('restores from recorded times', () => {
    const w = createCapWindow(2, 1000, [5, 6, 7]);
    expect(w.times()).toEqual([6, 7]);
    expect(w.allows(500)).toBe(false);
  });
});

describe('bucket counter', () => {
  it('counts events of the last window and forgets older ones', () => {
    const c = createBucketCounter(60_000, 60);
    for (let i = 0; i < 10; i++) c.add(1_000_000 + i * 1000);
    expect(c.count(1_009_000)).toBe(10);
    expect(c.count(1_065_000)).toBe(4);
    expect(c.count(1_200_000)).toBe(0);
    c.add(1_200_000, 5);
    expect(c.count(1_200_500)).toBe(5);
  });

  it('property: the count is between the exact counts of the window and the window plus one slot', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }), (gaps) => {
        const c = createBucketCounter(60_000, 60);
        const times: number[] = [];
        let t = 10_000_000;
        for (const g of gaps) {
          t += g;
          c.add(t);
          times.push(t);
          const got = c.count(t);
          const exact = times.filter((x) => x > t - 60_000).length;
          const loose = times.filter((x) => x > t - 61_000).length;
          expect(got).toBeGreaterThanOrEqual(exact - 0);
          expect(got).toBeLessThanOrEqual(loose);
        }
      }),
    );
  });
});
