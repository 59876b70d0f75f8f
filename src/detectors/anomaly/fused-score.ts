import type { HstScore } from './half-space-trees.js';

/**
 * One anomaly score from two kinds of evidence about a window:
 *
 * - the half-space trees' score: how little ordinary mass surrounds the whole feature vector
 *   (rare *combinations*: a browser that never loads assets and walks one section);
 * - per-feature extremity: how many robust scales the most extreme feature sits beyond what
 *   ordinary windows reach (feature-tails.ts). One such feature is explainable on its own (a
 *   login failure share of 0.9 where the editors' typos stay under 0.1) even when the trees,
 *   which spread their resolution over every feature, do not find the vector rare enough.
 *
 * They are combined as a noisy-OR: `1 - (1 - trees) * 2^(-excess / minDeviation)`. An excess
 * of `minDeviation` scales halves the remaining doubt, so a feature twice that far past every
 * ordinary window fires alone at the default threshold, a window that is both somewhat rare and
 * somewhat extreme fires, and a window within the ordinary tails on every feature (excess 0)
 * keeps exactly its trees score.
 *
 * @example
 * fuseScores({ score: 0.5, contributions: [0.5, 0] }, [0, 6], 6).score; // 0.75
 */
export interface FusedScore {
  readonly score: number;
  /** The half-space trees' part. */
  readonly trees: number;
  /** Largest excess over the ordinary tail, in robust scales, and its feature (-1: none). */
  readonly excess: number;
  readonly feature: number;
  /** Per feature; sums to `score`: the trees' attribution plus the extremity gain by excess. */
  readonly contributions: readonly number[];
}

export function fuseScores(hst: HstScore, excess: readonly number[], minDeviation: number): FusedScore {
  let top = 0;
  let feature = -1;
  let sum = 0;
  for (let i = 0; i < excess.length; i++) {
    const e = excess[i] as number;
    sum += e;
    if (e > top) {
      top = e;
      feature = i;
    }
  }
  const score = 1 - (1 - hst.score) * 2 ** (-top / Math.max(minDeviation, 1e-9));
  const gain = score - hst.score;
  const contributions = hst.contributions.map((c, i) => c + (sum > 0 ? (gain * (excess[i] ?? 0)) / sum : 0));
  return { score, trees: hst.score, excess: top, feature, contributions };
}
