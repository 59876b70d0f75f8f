/**
 * A learned per-window rate: an exponentially weighted mean and mean absolute deviation of
 * the count per window. The band is `mean ± max(k·dev, k·√mean)`: the deviation term learns
 * how bursty the template really is, the Poisson term keeps rare templates from alarming on
 * ordinary chance. Updates are clamped to the band, so a flood moves the baseline by a bounded
 * step per window and a patient attacker cannot quickly teach it a new normal.
 */
export interface RateBand {
  mean: number;
  dev: number;
  /** Windows observed. */
  n: number;
}

export const ALPHA = 0.1;

export function newBand(): RateBand {
  return { mean: 0, dev: 0, n: 0 };
}

export function bandLimits(b: RateBand, k: number): { lo: number; hi: number } {
  const spread = Math.max(k * b.dev, k * Math.sqrt(Math.max(b.mean, 1)));
  return { lo: b.mean - spread, hi: b.mean + spread };
}

/** `clamp` once the band is trusted; while it is still forming every count counts in full. */
export function updateBand(b: RateBand, count: number, k: number, clamp: boolean): void {
  if (b.n === 0) {
    b.mean = count;
    b.dev = 0;
    b.n = 1;
    return;
  }
  const { lo, hi } = bandLimits(b, k);
  const x = clamp ? Math.min(Math.max(count, Math.max(lo, 0)), hi) : count;
  const diff = x - b.mean;
  b.mean += ALPHA * diff;
  b.dev += ALPHA * (Math.abs(diff) - b.dev);
  b.n++;
}
