/**
 * Streaming median and MAD with bounded influence: each observation moves the median by at
 * most `rate * scale` (stochastic-approximation median: step toward the observation's side),
 * and the MAD the same way, so no single value, however extreme, can drag the statistic; only
 * a sustained shift moves it, and then at a known maximum speed. Starts from the first
 * observations' exact median (a short buffer) so early estimates are not arbitrary.
 */
export interface RobustStatState {
  n: number;
  median: number;
  mad: number;
  seed: number[];
}

const SEED_SIZE = 31;

export function createRobustStat(): RobustStatState {
  return { n: 0, median: 0, mad: 0, seed: [] };
}

/** The scale used to turn a deviation into robust z (1.4826 MAD, floored per feature). */
export function robustScale(s: RobustStatState, floor: number): number {
  return Math.max(1.4826 * s.mad, floor);
}

export function robustZ(s: RobustStatState, x: number, floor: number): number {
  return (x - s.median) / robustScale(s, floor);
}

export function updateRobustStat(s: RobustStatState, x: number, floor: number, rate = 0.02): void {
  if (!Number.isFinite(x)) return;
  s.n++;
  if (s.n <= SEED_SIZE) {
    // Exact median and MAD of the first observations; the buffer is dropped once full.
    s.seed.push(x);
    const sorted = [...s.seed].sort((a, b) => a - b);
    s.median = sorted[Math.floor(sorted.length / 2)] ?? x;
    const dev = sorted.map((v) => Math.abs(v - s.median)).sort((a, b) => a - b);
    s.mad = dev[Math.floor(dev.length / 2)] ?? 0;
    if (s.n === SEED_SIZE) s.seed = [];
    return;
  }
  const step = rate * robustScale(s, floor);
  if (x > s.median) s.median += Math.min(step, x - s.median);
  else if (x < s.median) s.median -= Math.min(step, s.median - x);
  const dev = Math.abs(x - s.median);
  const madStep = rate * Math.max(s.mad, floor / 1.4826);
  if (dev > s.mad) s.mad += Math.min(madStep, dev - s.mad);
  else if (dev < s.mad) s.mad -= Math.min(madStep, s.mad - dev);
}
