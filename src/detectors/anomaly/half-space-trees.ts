import { seededRandom } from './seeded-random.js';

/**
 * Streaming Half-Space Trees (Tan, Ting & Liu, "Fast Anomaly Detection for Streaming Data",
 * IJCAI 2011) over feature vectors scaled to [0, 1].
 *
 * Each tree splits a randomly perturbed workspace in half on a random feature at every level.
 * No data is needed to build a tree, so trees are implicit here: the split feature of a node is
 * a hash of (seed, tree, node) and its value the midpoint of the node's range along the path,
 * and only the nodes that points actually reach hold counts (sparse maps). That keeps memory
 * proportional to what was seen and allows the depth (15, as in the paper) that 10+ features
 * need for useful resolution.
 *
 * Every node counts the windows passing through it: `latest` fills during the current block of
 * `windowSize` observations and then becomes `reference`, the mass profile scores use. A point
 * is scored at the first node on its path whose reference mass is below `sizeLimit` (or at the
 * leaf): mass x 2^depth is high in dense regions and 0 where nothing was seen.
 *
 * The score is additive and explainable: each tree's anomaly is
 * `1 - log2(1 + mass·2^depth) / typical`, clipped to [0, 1], where `typical` tracks the same
 * quantity (bounded steps) over learned points; the model score is the mean over trees. Each
 * tree's share goes to the feature of the split that led into the node where the point left
 * the populated region, so the per-feature contributions sum to the score.
 */
export interface HstOptions {
  readonly dims: number;
  readonly trees: number;
  readonly depth: number;
  readonly windowSize: number;
  readonly seed: number;
}

export interface HstState {
  readonly opts: HstOptions;
  /** Per tree: the workspace's lower and upper bound per feature. */
  readonly lo: number[][];
  readonly hi: number[][];
  /** Per tree: node id -> mass (heap ids: children of i are 2i+1 and 2i+2). */
  reference: Map<number, number>[];
  latest: Map<number, number>[];
  /** Observations in the current block. */
  filled: number;
  /** Completed blocks (0: no reference yet, the model cannot score). */
  blocks: number;
  /** Typical log2(1 + mass·2^depth) of learned points. */
  typicalLog: number;
}

export interface HstScore {
  /** 0 (ordinary) .. 1 (nothing like it in the reference). */
  readonly score: number;
  /** Contribution per feature; sums to `score`. */
  readonly contributions: readonly number[];
}

export function createHst(opts: HstOptions): HstState {
  const random = seededRandom(opts.seed);
  const lo: number[][] = [];
  const hi: number[][] = [];
  for (let t = 0; t < opts.trees; t++) {
    // A random workspace per tree (Tan et al. section 3.1): around a random point, twice as
    // wide as its largest distance to the unit cube's edges, so it always covers [0, 1].
    const l: number[] = [];
    const h: number[] = [];
    for (let q = 0; q < opts.dims; q++) {
      const s = random();
      const w = 2 * Math.max(s, 1 - s);
      l.push(s - w);
      h.push(s + w);
    }
    lo.push(l);
    hi.push(h);
  }
  return {
    opts,
    lo,
    hi,
    reference: Array.from({ length: opts.trees }, () => new Map()),
    latest: Array.from({ length: opts.trees }, () => new Map()),
    filled: 0,
    blocks: 0,
    typicalLog: 0,
  };
}

/** Can the model score yet (one full reference block learned)? */
export function hstReady(h: HstState): boolean {
  return h.blocks > 0;
}

/** The split feature of a node: a hash of seed, tree and node (murmur3 finalizer). */
function splitDim(seed: number, tree: number, node: number, dims: number): number {
  let x = (seed ^ Math.imul(tree + 1, 0x9e3779b1) ^ Math.imul(node + 1, 0x85ebca6b)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return (x >>> 0) % dims;
}

/** Scratch bounds for walks (one per model: walks never overlap). */
const scratch = new WeakMap<HstState, { lo: Float64Array; hi: Float64Array }>();

function bounds(h: HstState, t: number): { lo: Float64Array; hi: Float64Array } {
  let b = scratch.get(h);
  if (!b) {
    b = { lo: new Float64Array(h.opts.dims), hi: new Float64Array(h.opts.dims) };
    scratch.set(h, b);
  }
  b.lo.set(h.lo[t] as number[]);
  b.hi.set(h.hi[t] as number[]);
  return b;
}

/** log2(1 + mass·2^depth) at the scoring node, and the feature that led there. */
function massAt(h: HstState, t: number, x: readonly number[]): { logMass: number; feature: number } {
  const ref = h.reference[t] as Map<number, number>;
  const sizeLimit = Math.max(1, 0.1 * h.opts.windowSize);
  const { lo, hi } = bounds(h, t);
  let node = 0;
  let feature = -1;
  for (let depth = 0; ; depth++) {
    const r = ref.get(node) ?? 0;
    if (r < sizeLimit || depth >= h.opts.depth) return { logMass: Math.log2(1 + r * 2 ** depth), feature };
    const q = splitDim(h.opts.seed, t, node, h.opts.dims);
    const mid = ((lo[q] as number) + (hi[q] as number)) / 2;
    feature = q;
    if ((x[q] as number) < mid) {
      hi[q] = mid;
      node = 2 * node + 1;
    } else {
      lo[q] = mid;
      node = 2 * node + 2;
    }
  }
}

/** Count `x` on every node of its path in tree `t`'s latest profile. */
function countPath(h: HstState, t: number, x: readonly number[]): void {
  const latest = h.latest[t] as Map<number, number>;
  const { lo, hi } = bounds(h, t);
  let node = 0;
  for (let depth = 0; ; depth++) {
    latest.set(node, (latest.get(node) ?? 0) + 1);
    if (depth >= h.opts.depth) return;
    const q = splitDim(h.opts.seed, t, node, h.opts.dims);
    const mid = ((lo[q] as number) + (hi[q] as number)) / 2;
    if ((x[q] as number) < mid) {
      hi[q] = mid;
      node = 2 * node + 1;
    } else {
      lo[q] = mid;
      node = 2 * node + 2;
    }
  }
}

export function scoreHst(h: HstState, x: readonly number[]): HstScore {
  const contributions: number[] = new Array(h.opts.dims).fill(0);
  if (!hstReady(h) || h.typicalLog <= 0) return { score: 0, contributions };
  let total = 0;
  for (let t = 0; t < h.opts.trees; t++) {
    const { logMass, feature } = massAt(h, t, x);
    const a = Math.min(1, Math.max(0, 1 - logMass / h.typicalLog)) / h.opts.trees;
    total += a;
    if (feature >= 0) contributions[feature] = (contributions[feature] as number) + a;
  }
  return { score: total, contributions };
}

/** Learn one observation: count it along every tree's path; swap profiles after each block. */
export function learnHst(h: HstState, x: readonly number[]): void {
  if (hstReady(h)) {
    // Track the typical mass of learned points with bounded steps (like the robust median).
    let sum = 0;
    for (let t = 0; t < h.opts.trees; t++) sum += massAt(h, t, x).logMass;
    const mean = sum / h.opts.trees;
    const step = Math.max(0.05, 0.02 * h.typicalLog);
    h.typicalLog += Math.sign(mean - h.typicalLog) * Math.min(Math.abs(mean - h.typicalLog), step);
  }
  for (let t = 0; t < h.opts.trees; t++) countPath(h, t, x);
  h.filled++;
  if (h.filled >= h.opts.windowSize) {
    h.reference = h.latest;
    h.latest = Array.from({ length: h.opts.trees }, () => new Map());
    h.filled = 0;
    h.blocks++;
    // First reference: start from a point in a cell holding a tenth of the block at mid depth.
    if (h.typicalLog <= 0) h.typicalLog = Math.log2(1 + 0.1 * h.opts.windowSize * 2 ** (h.opts.depth / 2));
  }
}
