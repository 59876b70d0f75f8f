/**
 * A learned per-window quantity: an exponentially weighted mean and mean absolute deviation.
 * Updates can be clamped to the band, so a flood moves the baseline by a bounded step per
 * window and a patient attacker cannot quickly teach it a new normal.
 */
export interface RateBand {
  mean: number;
  dev: number;
  /** Windows observed. */
  n: number;
}

export const ALPHA = 0.1;
/** A template's share may swing by chance; its absolute count must grow this much to alarm alone. */
export const SURGE_FACTOR = 10;

export function newBand(): RateBand {
  return { mean: 0, dev: 0, n: 0 };
}

/**
 * The expected count of a template in a window of `total` source lines, from its learned
 * SHARE of the source: `share·total ± max(k·dev·total, k·√expected)`. Working on shares makes
 * the band follow the source's overall volume (a morning ramp lifts every template alike and
 * is not an anomaly); the Poisson term keeps rare templates from alarming on chance.
 */
export function shareLimits(b: RateBand, total: number, k: number): { expected: number; lo: number; hi: number } {
  const expected = b.mean * total;
  const spread = Math.max(k * b.dev * total, k * Math.sqrt(Math.max(expected, 1)));
  return { expected, lo: expected - spread, hi: expected + spread };
}

/** The band of the absolute count: `mean ± k·max(dev, √mean)`. */
export function countLimits(b: RateBand, k: number): { lo: number; hi: number } {
  const spread = k * Math.max(b.dev, Math.sqrt(Math.max(b.mean, 1)));
  return { lo: b.mean - spread, hi: b.mean + spread };
}

/**
 * The absolute ceiling: a template whose count jumps far above anything it did before, even
 * if its share cannot show it (a source with one template: its share is always 1).
 */
export function surgeLimit(b: RateBand, k: number): number {
  const m = Math.max(b.mean, 1);
  return Math.max(SURGE_FACTOR * m, b.mean + k * b.dev) + k * Math.sqrt(m);
}

/** Learn one window's value; `clamp` to [lo, hi] once the band is trusted. */
export function updateBand(b: RateBand, value: number, clamp?: { lo: number; hi: number }): void {
  if (b.n === 0) {
    b.mean = value;
    b.dev = 0;
    b.n = 1;
    return;
  }
  const x = clamp ? Math.min(Math.max(value, clamp.lo), clamp.hi) : value;
  const diff = x - b.mean;
  b.mean += ALPHA * diff;
  b.dev += ALPHA * (Math.abs(diff) - b.dev);
  b.n++;
}
