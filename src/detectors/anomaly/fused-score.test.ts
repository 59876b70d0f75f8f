import { describe, expect, it } from 'vitest';
import { fuseScores } from './fused-score.js';

describe('fused anomaly score', () => {
  it('keeps the trees score when no feature is past the ordinary tail', () => {
    const f = fuseScores({ score: 0.42, contributions: [0.3, 0.12, 0] }, [0, 0, 0], 6);
    expect(f.score).toBeCloseTo(0.42);
    expect(f.contributions).toEqual([0.3, 0.12, 0]);
    expect(f.feature).toBe(-1);
  });

  it('lets one feature far past every ordinary window fire alone, and says which', () => {
    const f = fuseScores({ score: 0, contributions: [0, 0, 0] }, [0, 12, 0], 6);
    expect(f.score).toBeCloseTo(0.75);
    expect(f.feature).toBe(1);
    expect(f.contributions[1]).toBeCloseTo(0.75);
  });

  it('adds up rarity and extremity, and the attribution sums to the score', () => {
    const f = fuseScores({ score: 0.5, contributions: [0.2, 0.3, 0] }, [3, 0, 1], 6);
    expect(f.score).toBeGreaterThan(0.5);
    expect(f.score).toBeLessThan(1);
    expect(f.contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(f.score);
    expect(f.contributions[0]).toBeGreaterThan(0.2);
  });
});
