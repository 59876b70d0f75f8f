import { describe, expect, it } from 'vitest';
import { createHst, learnHst, scoreHst } from './half-space-trees.js';

function trained(seed: number) {
  const h = createHst({ dims: 3, trees: 25, depth: 15, windowSize: 128, seed });
  let s = 1;
  const r = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  for (let i = 0; i < 600; i++) learnHst(h, [0.45 + 0.1 * r(), 0.45 + 0.1 * r(), 0.2 + 0.05 * r()]);
  return h;
}

describe('half-space trees', () => {
  it('scores an isolated point high, an ordinary one low, and attributes it to the feature that differs', () => {
    const h = trained(1);
    const normal = scoreHst(h, [0.5, 0.5, 0.22]);
    const odd = scoreHst(h, [0.5, 0.5, 0.95]);
    expect(odd.score).toBeGreaterThan(0.6);
    expect(normal.score).toBeLessThan(0.3);
    expect(odd.contributions[2]).toBeGreaterThan((odd.contributions[0] ?? 0) + (odd.contributions[1] ?? 0));
    expect(odd.contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(odd.score, 9);
  });

  it('is deterministic for a seed', () => {
    expect(scoreHst(trained(3), [0.9, 0.1, 0.5])).toEqual(scoreHst(trained(3), [0.9, 0.1, 0.5]));
  });

  it('learns the same whether or not each point was scored first, with a reused array', () => {
    const opts = { dims: 3, trees: 10, depth: 12, windowSize: 32, seed: 9 };
    const scoredFirst = createHst(opts);
    const learnedOnly = createHst(opts);
    const x = [0, 0, 0];
    for (let i = 0; i < 200; i++) {
      // One array, refilled in place: the detector's memo of the last scored point must not
      // outlive its values (nor a profile swap).
      x[0] = 0.4 + ((i * 7) % 10) / 50;
      x[1] = 0.5;
      x[2] = i % 3 === 0 ? 0.2 : 0.3;
      scoreHst(scoredFirst, x);
      learnHst(scoredFirst, x);
      if (i % 5 === 0) learnHst(scoredFirst, x);
      learnHst(learnedOnly, [...x]);
      if (i % 5 === 0) learnHst(learnedOnly, [...x]);
    }
    expect(scoredFirst.typicalLog).toBe(learnedOnly.typicalLog);
    expect(scoreHst(scoredFirst, [0.9, 0.1, 0.5])).toEqual(scoreHst(learnedOnly, [0.9, 0.1, 0.5]));
  });
});
