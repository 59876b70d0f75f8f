/**
 * How far ordinary windows reach on each feature, so that one extreme feature can be judged on
 * its own and a population's routine extremes are not mistaken for novelty.
 *
 * Robust z-scores alone cannot do that: a feature's median and MAD describe the bulk, and a
 * minority that always sits far out (crawlers without referrers, editors whose traffic is mostly
 * POSTs) scores a large |z| every window. So per feature and per side this keeps a decayed
 * histogram of the z-scores of the windows the model learned, and reads from it the level that
 * only a small share of ordinary windows exceeds (`TAIL_SHARE`). A window's *excess* on a
 * feature is how many robust scales it sits beyond that level: 0 for anything ordinary windows
 * do, large for what none of them does (a login failure share of 0.9 where even the editors'
 * typos stay below 0.1).
 *
 * Bounded influence: every learned window adds the same weight and old weight decays with a
 * horizon of `horizon` windows, so moving the tail level takes a sustained share of the traffic,
 * not one extreme window; and alerted windows are never learned.
 */
export interface FeatureTailsState {
  /** Per feature: decayed weights of z-buckets, index 0 at -Z_MAX. */
  buckets: number[][];
  /** Total weight (same scale as the buckets). */
  total: number;
  /** Current weight of one new window (grows instead of decaying every bucket). */
  unit: number;
  readonly horizon: number;
}

/** z beyond this is counted in the outermost bucket. */
const Z_MAX = 30;
const BUCKET = 0.25;
const N_BUCKETS = (2 * Z_MAX) / BUCKET + 1;
/** The share of ordinary windows allowed beyond the tail level, per side. */
export const TAIL_SHARE = 0.005;

export function createFeatureTails(dims: number, horizon: number): FeatureTailsState {
  return {
    buckets: Array.from({ length: dims }, () => new Array<number>(N_BUCKETS).fill(0)),
    total: 0,
    unit: 1,
    horizon,
  };
}

const bucketOf = (z: number): number => Math.round((Math.min(Z_MAX, Math.max(-Z_MAX, z)) + Z_MAX) / BUCKET);

/** Learn one ordinary window's z-scores. */
export function learnTails(s: FeatureTailsState, z: readonly number[]): void {
  // Exponential decay by growing the weight of new windows; rescale before it overflows.
  s.unit *= 1 + 1 / s.horizon;
  if (s.unit > 1e12) {
    for (const b of s.buckets) for (let i = 0; i < b.length; i++) b[i] = (b[i] as number) / s.unit;
    s.total /= s.unit;
    s.unit = 1;
  }
  for (let f = 0; f < s.buckets.length; f++) {
    const b = s.buckets[f] as number[];
    const i = bucketOf(z[f] ?? 0);
    b[i] = (b[i] as number) + s.unit;
  }
  s.total += s.unit;
}

/**
 * The z level on `z`'s side of feature `f` that only TAIL_SHARE of ordinary windows exceed
 * (0 when that side is empty: the median itself).
 */
export function tailLevel(s: FeatureTailsState, f: number, side: 1 | -1): number {
  const b = s.buckets[f];
  if (!b || s.total <= 0) return 0;
  const allowed = TAIL_SHARE * s.total;
  let mass = 0;
  const centre = (N_BUCKETS - 1) / 2;
  for (let k = 0; k < centre; k++) {
    const i = side > 0 ? N_BUCKETS - 1 - k : k;
    mass += b[i] as number;
    if (mass > allowed) return side * (centre - k) * BUCKET;
  }
  return 0;
}

/** Robust scales beyond the ordinary tail level, per feature (0 within it). */
export function tailExcess(s: FeatureTailsState, z: readonly number[]): number[] {
  return z.map((v, f) => {
    const side = v >= 0 ? 1 : -1;
    return Math.max(0, Math.abs(v) - Math.abs(tailLevel(s, f, side)));
  });
}
