import { describe, expect, it } from 'vitest';
import { createFeatureTails, learnTails, tailExcess, tailLevel } from './feature-tails.js';

/** Deterministic spread of z-scores in [-2, 2]. */
const spread = (i: number): number => ((i * 37) % 101) / 25 - 2;

describe('feature tails', () => {
  it("measures excess past the ordinary tail, so a minority's routine extreme is not extreme", () => {
    const t = createFeatureTails(2, 1000);
    // Feature 0: a bulk near 0 and a 2 % minority always at z 9 (editors' POST share).
    // Feature 1: bulk only.
    for (let i = 0; i < 2000; i++) learnTails(t, [i % 50 === 0 ? 9 : spread(i), spread(i)]);
    expect(tailLevel(t, 0, 1)).toBeGreaterThanOrEqual(8.5);
    expect(tailLevel(t, 1, 1)).toBeLessThanOrEqual(2);
    const [minority, bulk] = tailExcess(t, [9, 9]);
    expect(minority).toBe(0);
    expect(bulk).toBeGreaterThan(6.5);
    // The other side of feature 0 has only the bulk.
    expect(tailExcess(t, [-9, 0])[0]).toBeGreaterThan(6.5);
  });

  it('forgets with its horizon: a level nobody reaches any more stops being ordinary', () => {
    const t = createFeatureTails(1, 200);
    for (let i = 0; i < 400; i++) learnTails(t, [i % 10 === 0 ? 8 : spread(i)]);
    expect(tailExcess(t, [8])[0]).toBe(0);
    for (let i = 0; i < 3000; i++) learnTails(t, [spread(i)]);
    expect(tailExcess(t, [8])[0]).toBeGreaterThan(5);
  });

  it('one extreme window does not move the tail', () => {
    const t = createFeatureTails(1, 1000);
    for (let i = 0; i < 1000; i++) learnTails(t, [spread(i)]);
    const before = tailLevel(t, 0, 1);
    learnTails(t, [25]);
    expect(tailLevel(t, 0, 1)).toBe(before);
  });
});
