import { MassTable } from './mass-table.js';
import { seededRandom } from './seeded-random.js';

export { MassTable } from './mass-table.js';

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
  reference: MassTable[];
  latest: MassTable[];
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
    reference: Array.from({ length: opts.trees }, () => new MassTable()),
    latest: Array.from({ length: opts.trees }, () => new MassTable()),
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
  // (x >>> 0) % dims, computed in two 16-bit halves: a uint32 above 2^30 is a heap number in
  // V8 and its `%` a floating-point call, this stays in small integers (same result).
  return (((x >>> 16) % dims) * 65536 + (x & 0xffff)) % dims;
}

/**
 * Scratch bounds for walks, shared by every model: walks are synchronous and never overlap, and
 * one pair of arrays saves a look-up and an allocation per tree walk.
 */
let scratchLo = new Float64Array(16);
let scratchHi = new Float64Array(16);

function resetBounds(h: HstState, t: number): void {
  if (scratchLo.length < h.opts.dims) {
    scratchLo = new Float64Array(h.opts.dims);
    scratchHi = new Float64Array(h.opts.dims);
  }
  scratchLo.set(h.lo[t] as number[]);
  scratchHi.set(h.hi[t] as number[]);
}

/** The feature whose split led into the scoring node of the last `walk` (-1: the root). */
let walkFeature = -1;

/**
 * Walk `x` down tree `t`: returns log2(1 + mass·2^depth) at the scoring node of the reference
 * profile (the first node whose mass is below the size limit, or the leaf), and sets
 * `walkFeature`. With `count`, also counts `x` on every node of its whole path in `count` (the
 * latest profile): scoring and learning follow the same path, so one walk does both.
 */
function walk(h: HstState, t: number, x: readonly number[], count: MassTable | undefined): number {
  const ref = h.reference[t] as MassTable;
  const sizeLimit = Math.max(1, 0.1 * h.opts.windowSize);
  const maxDepth = h.opts.depth;
  const seed = h.opts.seed;
  const dims = h.opts.dims;
  resetBounds(h, t);
  const lo = scratchLo;
  const hi = scratchHi;
  let node = 0;
  let feature = -1;
  let logMass = -1;
  for (let depth = 0; ; depth++) {
    if (logMass < 0) {
      const r = ref.get(node);
      if (r < sizeLimit || depth >= maxDepth) {
        logMass = Math.log2(1 + r * 2 ** depth);
        walkFeature = feature;
        if (count === undefined) return logMass;
      }
    }
    if (count !== undefined) {
      count.add(node, 1);
      if (depth >= maxDepth) return logMass;
    }
    const q = splitDim(seed, t, node, dims);
    const mid = ((lo[q] as number) + (hi[q] as number)) / 2;
    if (logMass < 0) feature = q;
    if ((x[q] as number) < mid) {
      hi[q] = mid;
      node = 2 * node + 1;
    } else {
      lo[q] = mid;
      node = 2 * node + 2;
    }
  }
}

/**
 * The per-tree masses of the last scored point, so learning that same point right after (the
 * detector scores a window, then learns it) does not walk the reference profile again. Valid
 * for the same values (compared, so a caller may reuse its array) and the same reference
 * profile (the same array, which a restore replaces; the memo is dropped whenever the
 * profiles swap, since the swap reuses arrays).
 */
const lastScored = new WeakMap<HstState, { x: Float64Array; reference: MassTable[]; logMass: Float64Array }>();

function sameValues(a: Float64Array, b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Count `x` on every node of its path in tree `t` (no scoring). */
function countOnly(h: HstState, t: number, x: readonly number[], count: MassTable): void {
  resetBounds(h, t);
  const lo = scratchLo;
  const hi = scratchHi;
  const seed = h.opts.seed;
  const dims = h.opts.dims;
  let node = 0;
  for (let depth = 0; ; depth++) {
    count.add(node, 1);
    if (depth >= h.opts.depth) return;
    const q = splitDim(seed, t, node, dims);
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
  const masses = new Float64Array(h.opts.trees);
  for (let t = 0; t < h.opts.trees; t++) {
    const logMass = walk(h, t, x, undefined);
    const feature = walkFeature;
    masses[t] = logMass;
    const a = Math.min(1, Math.max(0, 1 - logMass / h.typicalLog)) / h.opts.trees;
    total += a;
    if (feature >= 0) contributions[feature] = (contributions[feature] as number) + a;
  }
  lastScored.set(h, { x: Float64Array.from(x), reference: h.reference, logMass: masses });
  return { score: total, contributions };
}

/** Learn one observation: count it along every tree's path; swap profiles after each block. */
export function learnHst(h: HstState, x: readonly number[]): void {
  if (hstReady(h)) {
    // Track the typical mass of learned points with bounded steps (like the robust median).
    const scored = lastScored.get(h);
    const known =
      scored !== undefined && scored.reference === h.reference && sameValues(scored.x, x) ? scored.logMass : undefined;
    let sum = 0;
    for (let t = 0; t < h.opts.trees; t++) {
      const latest = h.latest[t] as MassTable;
      if (known === undefined) sum += walk(h, t, x, latest);
      else {
        countOnly(h, t, x, latest);
        sum += known[t] as number;
      }
    }
    const mean = sum / h.opts.trees;
    const step = Math.max(0.05, 0.02 * h.typicalLog);
    h.typicalLog += Math.sign(mean - h.typicalLog) * Math.min(Math.abs(mean - h.typicalLog), step);
  } else for (let t = 0; t < h.opts.trees; t++) countOnly(h, t, x, h.latest[t] as MassTable);
  h.filled++;
  if (h.filled >= h.opts.windowSize) {
    // The old reference's tables become the new latest profile, emptied: each block would
    // otherwise allocate and grow 25 fresh tables (most of the model's allocation and GC).
    const recycled = h.reference;
    lastScored.delete(h);
    h.reference = h.latest;
    for (const t of recycled) t.clear();
    h.latest = recycled;
    h.filled = 0;
    h.blocks++;
    // First reference: start from a point in a cell holding a tenth of the block at mid depth.
    if (h.typicalLog <= 0) h.typicalLog = Math.log2(1 + 0.1 * h.opts.windowSize * 2 ** (h.opts.depth / 2));
  }
}
