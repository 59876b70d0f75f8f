import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createHst,
  type HstOptions,
  type HstState,
  hstSnapshot,
  learnHst,
  restoreHst,
  scoreHst,
} from './half-space-trees.js';

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

/**
 * The model as the paper states it, written the plain way: count every reference point on every
 * node of its full path in each implicit tree (a Map per tree), walk a point down to the first
 * node below the size limit, and take the typical mass as the median over the reference's
 * points, each left out of its own counts. The explicit forest must give exactly this.
 */
function naiveScore(h: HstState, x: readonly number[]): { score: number; contributions: number[] } {
  const { dims, trees, depth: maxDepth, windowSize, seed } = h.opts;
  const sizeLimit = Math.max(1, 0.1 * windowSize);
  const points = Array.from({ length: windowSize }, (_, p) =>
    Array.from(h.reference.subarray(p * dims, (p + 1) * dims)),
  );
  const masses = Array.from({ length: trees }, () => new Map<number, number>());
  const walk = (t: number, y: readonly number[], visit: (node: number, depth: number, feature: number) => boolean) => {
    const lo = Array.from(h.lo.subarray(t * dims, (t + 1) * dims));
    const hi = Array.from(h.hi.subarray(t * dims, (t + 1) * dims));
    let node = 0;
    let feature = -1;
    for (let depth = 0; depth <= maxDepth; depth++) {
      if (visit(node, depth, feature) || depth === maxDepth) return;
      const q = splitDimOracle(seed, t, node, dims);
      const mid = ((lo[q] as number) + (hi[q] as number)) / 2;
      feature = q;
      if ((y[q] as number) < mid) {
        hi[q] = mid;
        node = 2 * node + 1;
      } else {
        lo[q] = mid;
        node = 2 * node + 2;
      }
    }
  };
  for (let t = 0; t < trees; t++)
    for (const p of points)
      walk(t, p, (node) => {
        masses[t]?.set(node, (masses[t]?.get(node) ?? 0) + 1);
        return false;
      });
  const logMass = (t: number, y: readonly number[], self: number) => {
    let out = 0;
    let by = -1;
    walk(t, y, (node, depth, feature) => {
      const m = (masses[t]?.get(node) ?? 0) - self;
      if (m < sizeLimit || depth >= maxDepth) {
        out = Math.log2(1 + m * 2 ** depth);
        by = feature;
        return true;
      }
      return false;
    });
    return { out, by };
  };
  const means = points.map((p) => {
    let s = 0;
    for (let t = 0; t < trees; t++) s += logMass(t, p, 1).out;
    return s / trees;
  });
  means.sort((a, b) => a - b);
  const typical = means[Math.floor(windowSize / 2)] as number;
  const contributions = new Array<number>(dims).fill(0);
  let score = 0;
  for (let t = 0; t < trees; t++) {
    const { out, by } = logMass(t, x, 0);
    const a = Math.min(1, Math.max(0, 1 - out / typical)) / trees;
    score += a;
    if (by >= 0) contributions[by] = (contributions[by] as number) + a;
  }
  return { score, contributions };
}

function splitDimOracle(seed: number, tree: number, node: number, dims: number): number {
  let x = (seed ^ Math.imul(tree + 1, 0x9e3779b1) ^ Math.imul(node + 1, 0x85ebca6b)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) % dims;
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

  it('cannot score before one block, and scores against the last complete block only', () => {
    const opts: HstOptions = { dims: 2, trees: 10, depth: 10, windowSize: 32, seed: 4 };
    const h = createHst(opts);
    for (let i = 0; i < 31; i++) learnHst(h, [0.2, 0.2]);
    expect(scoreHst(h, [0.9, 0.9]).score).toBe(0);
    learnHst(h, [0.2, 0.2]);
    const before = scoreHst(h, [0.9, 0.9]);
    expect(before.score).toBeGreaterThan(0.9);
    // Half a block elsewhere changes nothing until the block completes.
    for (let i = 0; i < 16; i++) learnHst(h, [0.9, 0.9]);
    expect(scoreHst(h, [0.9, 0.9])).toEqual(before);
    for (let i = 0; i < 16; i++) learnHst(h, [0.9, 0.9]);
    expect(scoreHst(h, [0.9, 0.9]).score).toBeLessThan(0.1);
  });

  it('gives exactly the masses and typical of the implicit trees counted node by node', () => {
    const point = (dims: number) =>
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: dims, maxLength: dims });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((dims) =>
          fc.record({
            dims: fc.constant(dims),
            seed: fc.integer({ min: 0, max: 1000 }),
            depth: fc.integer({ min: 2, max: 12 }),
            // Clumped points (few distinct values) reach the leaves; spread ones stop early.
            pool: fc.array(point(dims), { minLength: 1, maxLength: 6 }),
            picks: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
            spread: fc.array(point(dims), { minLength: 16, maxLength: 16 }),
            probes: fc.array(point(dims), { minLength: 1, maxLength: 4 }),
          }),
        ),
        ({ dims, seed, depth, pool, picks, spread, probes }) => {
          const h = createHst({ dims, trees: 6, depth, windowSize: 32, seed });
          for (let i = 0; i < 16; i++) {
            learnHst(h, pool[(picks[i] as number) % pool.length] as number[]);
            learnHst(h, spread[i] as number[]);
          }
          for (const x of [...probes, ...pool]) {
            const got = scoreHst(h, x);
            const want = naiveScore(h, x);
            expect(got.score).toBeCloseTo(want.score, 12);
            for (const [i, c] of got.contributions.entries())
              expect(c).toBeCloseTo(want.contributions[i] as number, 12);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('restores from its snapshot to the same scores, and refuses one of another shape', () => {
    const h = trained(5);
    const copy = createHst(h.opts);
    expect(restoreHst(copy, JSON.parse(JSON.stringify(hstSnapshot(h))))).toBe(true);
    expect(scoreHst(copy, [0.7, 0.2, 0.4])).toEqual(scoreHst(h, [0.7, 0.2, 0.4]));
    learnHst(copy, [0.5, 0.5, 0.2]);
    learnHst(h, [0.5, 0.5, 0.2]);
    expect(copy.filled).toBe(h.filled);
    const other = createHst({ ...h.opts, windowSize: 64 });
    expect(restoreHst(other, hstSnapshot(h))).toBe(false);
    expect(other.blocks).toBe(0);
  });
});
