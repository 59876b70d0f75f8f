import { seededRandom } from './seeded-random.js';

/**
 * Streaming Half-Space Trees (Tan, Ting & Liu, "Fast Anomaly Detection for Streaming Data",
 * IJCAI 2011) over feature vectors scaled to [0, 1].
 *
 * Each tree splits a randomly perturbed workspace in half on a random feature at every level.
 * No data is needed to build a tree, so trees are implicit: the split feature of a node is a
 * hash of (seed, tree, node) and its value the midpoint of the node's range along the path.
 *
 * Points are learned in blocks of `windowSize`: the last complete block is the reference
 * profile scores use, the block in progress becomes the next one. A point is scored at the
 * first node on its path whose reference mass is below `sizeLimit` (or at the leaf):
 * mass x 2^depth is high in dense regions and 0 where nothing was seen.
 *
 * Only the reference's masses are ever read, and only when a point is scored, so learning just
 * keeps the block's points (a copy of `dims` numbers) and the reference is counted lazily, once
 * per block, on its first score: a replay that is still in its learning period (most of a long
 * first replay, which never scores) never walks a tree, and a live model counts each block
 * once, tree by tree. Counting builds each tree's populated part explicitly by partitioning
 * the block's points down the implicit tree, stopping where a node holds fewer than
 * `sizeLimit` points: the only nodes a walk can pass, a few dozen per tree instead of a node
 * per point per level, so a scoring walk is a handful of array reads and no hashing.
 *
 * The score is additive and explainable: each tree's anomaly is
 * `1 - log2(1 + mass·2^depth) / typical`, clipped to [0, 1], where `typical` is the median over
 * the reference's own points of that quantity (averaged over trees) with each point left out
 * of its own masses, i.e. what an ordinary new point from the same traffic gets; the model
 * score is the mean over trees. Each tree's share goes to the feature of the split that led
 * into the node where the point left the populated region, so the per-feature contributions
 * sum to the score.
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
  /** Per tree: the workspace's lower and upper bound per feature (row-major, trees x dims). */
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** The last complete block's points (row-major, windowSize x dims); meaningful once blocks > 0. */
  reference: Float64Array;
  /** The block in progress: its first `filled` rows. */
  latest: Float64Array;
  /** Observations in the current block. */
  filled: number;
  /** Completed blocks (0: no reference yet, the model cannot score). */
  blocks: number;
  /** The reference counted into explicit trees; undefined until the reference's first score. */
  forest: Forest | undefined;
}

/**
 * The populated part of every tree over the reference block, in flat arrays shared by all
 * trees. A node is split (`dim >= 0`) when it holds at least `sizeLimit` points above the
 * leaf depth; a missing child (-1) holds none.
 */
interface Forest {
  readonly roots: Int32Array;
  readonly count: Int32Array;
  readonly dim: Int32Array;
  readonly mid: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Typical log2(1 + mass·2^depth) of an ordinary point (see the file comment). */
  readonly typicalLog: number;
}

export interface HstScore {
  /** 0 (ordinary) .. 1 (nothing like it in the reference). */
  readonly score: number;
  /** Contribution per feature; sums to `score`. */
  readonly contributions: readonly number[];
}

export function createHst(opts: HstOptions): HstState {
  const random = seededRandom(opts.seed);
  const lo = new Float64Array(opts.trees * opts.dims);
  const hi = new Float64Array(opts.trees * opts.dims);
  for (let t = 0; t < opts.trees; t++) {
    // A random workspace per tree (Tan et al. section 3.1): around a random point, twice as
    // wide as its largest distance to the unit cube's edges, so it always covers [0, 1].
    for (let q = 0; q < opts.dims; q++) {
      const s = random();
      const w = 2 * Math.max(s, 1 - s);
      lo[t * opts.dims + q] = s - w;
      hi[t * opts.dims + q] = s + w;
    }
  }
  return {
    opts,
    lo,
    hi,
    reference: new Float64Array(opts.windowSize * opts.dims),
    latest: new Float64Array(opts.windowSize * opts.dims),
    filled: 0,
    blocks: 0,
    forest: undefined,
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

const sizeLimitOf = (o: HstOptions): number => Math.max(1, 0.1 * o.windowSize);

/** Growable node arrays while a forest is built. */
class NodeBuffer {
  size = 0;
  count = new Int32Array(256);
  dim = new Int32Array(256);
  mid = new Float64Array(256);
  left = new Int32Array(256);
  right = new Int32Array(256);

  push(count: number): number {
    if (this.size === this.count.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.count = grow(this.count);
      this.dim = grow(this.dim);
      this.mid = grow(this.mid);
      this.left = grow(this.left);
      this.right = grow(this.right);
    }
    const k = this.size++;
    this.count[k] = count;
    this.dim[k] = -1;
    this.left[k] = -1;
    this.right[k] = -1;
    return k;
  }
}

/** Count the reference block into explicit trees and measure its typical mass. */
function buildForest(h: HstState): Forest {
  const { dims, trees, depth: maxDepth, windowSize: n, seed } = h.opts;
  const sizeLimit = sizeLimitOf(h.opts);
  const points = h.reference;
  const nodes = new NodeBuffer();
  const roots = new Int32Array(trees);
  const order = new Int32Array(n);
  const lo = new Float64Array(dims);
  const hi = new Float64Array(dims);

  // Points order[start, end) share heap node `node` at `depth`: split them the way the implicit
  // tree does (the same midpoints, computed the same way, as a walk) while they are enough.
  const build = (t: number, start: number, end: number, depth: number, node: number): number => {
    const k = nodes.push(end - start);
    if (end - start < sizeLimit || depth >= maxDepth) return k;
    const q = splitDim(seed, t, node, dims);
    const m = ((lo[q] as number) + (hi[q] as number)) / 2;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if ((points[(order[i] as number) * dims + q] as number) < m) i++;
      else {
        const s = order[i] as number;
        order[i] = order[j] as number;
        order[j--] = s;
      }
    }
    nodes.dim[k] = q;
    nodes.mid[k] = m;
    const upper = hi[q] as number;
    hi[q] = m;
    const l = i > start ? build(t, start, i, depth + 1, 2 * node + 1) : -1;
    hi[q] = upper;
    const lower = lo[q] as number;
    lo[q] = m;
    const r = i < end ? build(t, i, end, depth + 1, 2 * node + 2) : -1;
    lo[q] = lower;
    nodes.left[k] = l;
    nodes.right[k] = r;
    return k;
  };
  for (let t = 0; t < trees; t++) {
    for (let i = 0; i < n; i++) order[i] = i;
    lo.set(h.lo.subarray(t * dims, (t + 1) * dims));
    hi.set(h.hi.subarray(t * dims, (t + 1) * dims));
    roots[t] = build(t, 0, n, 0, 0);
  }
  const forest = {
    roots,
    count: nodes.count.slice(0, nodes.size),
    dim: nodes.dim.slice(0, nodes.size),
    mid: nodes.mid.slice(0, nodes.size),
    left: nodes.left.slice(0, nodes.size),
    right: nodes.right.slice(0, nodes.size),
    typicalLog: 0,
  };
  return { ...forest, typicalLog: typicalLog(h, forest, sizeLimit) };
}

/**
 * Median over the reference's points of their mean log mass, each left out of its own counts:
 * the mass an ordinary new point would find (a point always finds itself, which would make
 * every sparse ordinary point look dense).
 */
function typicalLog(h: HstState, f: Omit<Forest, 'typicalLog'>, sizeLimit: number): number {
  const { dims, trees, depth: maxDepth, windowSize: n } = h.opts;
  const means = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const base = p * dims;
    let sum = 0;
    for (let t = 0; t < trees; t++) {
      let k = f.roots[t] as number;
      for (let depth = 0; ; depth++) {
        const c = (f.count[k] as number) - 1;
        const q = f.dim[k] as number;
        // The node holds the point, so it is split whenever it holds sizeLimit others.
        if (c < sizeLimit || depth >= maxDepth || q < 0) {
          sum += Math.log2(1 + c * 2 ** depth);
          break;
        }
        k = ((h.reference[base + q] as number) < (f.mid[k] as number) ? f.left[k] : f.right[k]) as number;
      }
    }
    means[p] = sum / trees;
  }
  means.sort();
  return means[Math.floor(n / 2)] as number;
}

function forestOf(h: HstState): Forest {
  h.forest ??= buildForest(h);
  return h.forest;
}

export function scoreHst(h: HstState, x: readonly number[]): HstScore {
  const contributions: number[] = new Array(h.opts.dims).fill(0);
  if (!hstReady(h)) return { score: 0, contributions };
  const f = forestOf(h);
  if (f.typicalLog <= 0) return { score: 0, contributions };
  const { trees } = h.opts;
  let total = 0;
  for (let t = 0; t < trees; t++) {
    let k = f.roots[t] as number;
    let feature = -1;
    let logMass = 0;
    for (let depth = 0; ; depth++) {
      const q = f.dim[k] as number;
      if (q < 0) {
        logMass = Math.log2(1 + (f.count[k] as number) * 2 ** depth);
        break;
      }
      feature = q;
      k = ((x[q] as number) < (f.mid[k] as number) ? f.left[k] : f.right[k]) as number;
      // An empty child: nothing of the reference lies here (mass 0).
      if (k < 0) break;
    }
    const a = Math.min(1, Math.max(0, 1 - logMass / f.typicalLog)) / trees;
    total += a;
    if (feature >= 0) contributions[feature] = (contributions[feature] as number) + a;
  }
  return { score: total, contributions };
}

/** Learn one observation: keep it in the block; a full block becomes the reference. */
export function learnHst(h: HstState, x: readonly number[]): void {
  const dims = h.opts.dims;
  const base = h.filled * dims;
  for (let q = 0; q < dims; q++) h.latest[base + q] = x[q] ?? 0;
  h.filled++;
  if (h.filled >= h.opts.windowSize) {
    // The old reference's buffer takes the next block: no allocation per block.
    const recycled = h.reference;
    h.reference = h.latest;
    h.latest = recycled;
    h.filled = 0;
    h.blocks++;
    h.forest = undefined;
  }
}

/** What a snapshot keeps: the points (the forest is rebuilt from them on the first score). */
export interface HstSnapshot {
  readonly reference: number[];
  readonly latest: number[];
  readonly filled: number;
  readonly blocks: number;
}

export function hstSnapshot(h: HstState): HstSnapshot {
  return {
    reference: h.blocks > 0 ? Array.from(h.reference) : [],
    latest: Array.from(h.latest.subarray(0, h.filled * h.opts.dims)),
    filled: h.filled,
    blocks: h.blocks,
  };
}

/** Restore a snapshot taken with the same options; false (state untouched) when it does not fit. */
export function restoreHst(h: HstState, s: HstSnapshot): boolean {
  const { dims, windowSize } = h.opts;
  const fits =
    Number.isInteger(s.filled) &&
    s.filled >= 0 &&
    s.filled < windowSize &&
    s.latest.length === s.filled * dims &&
    (s.blocks > 0 ? s.reference.length === windowSize * dims : s.reference.length === 0);
  if (!fits) return false;
  h.reference.fill(0);
  h.reference.set(s.reference);
  h.latest.fill(0);
  h.latest.set(s.latest);
  h.filled = s.filled;
  h.blocks = s.blocks;
  h.forest = undefined;
  return true;
}
