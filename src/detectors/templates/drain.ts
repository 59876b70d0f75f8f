import { WILDCARD } from './masking.js';
import { hasNumbers } from './tokenize.js';

/**
 * Drain (He et al., ICWS 2017): online log template mining with a fixed-depth prefix tree.
 * Faithful to logpai/logparser `Drain.py`, the implementation behind the published Loghub
 * numbers:
 *
 * - layer 1 keys on the token count; the next `depth - 2` layers key on the leading tokens
 *   (a token with a digit goes under `<*>`, and a node with `maxChild` children sends new
 *   tokens to `<*>`), leaves hold clusters;
 * - a line joins the leaf cluster with the highest similarity (same-position equal tokens
 *   over length, `<*>` positions not counting; ties go to the cluster with more `<*>`) when
 *   it reaches `st`, and the template becomes `<*>` wherever the two differ;
 * - otherwise the line starts a cluster of its own.
 *
 * Two deliberate differences, with identical grouping: in the reference a line with fewer
 * tokens than `depth - 2` never reaches a leaf, and a line that is mostly `<*>` can never reach
 * the similarity threshold (see `isDegenerate`), so each such line opens a new cluster and the
 * benchmark's output then merges them by identical template text (its EventId is the template
 * hash). Here a repeat of such a line reuses the cluster of its exact token sequence, which
 * groups the same lines without growing one cluster per line.
 *
 * Cluster ids are a per-model sequence in creation order; a cluster keeps its id while its
 * template generalizes, and `snapshot`/`restore` keep the tree, so ids survive restarts.
 */
export interface DrainOptions {
  /** Depth of every leaf, counting the root and the length layer (Loghub `depth`, >= 3). */
  readonly depth: number;
  /** Similarity threshold in [0, 1] (Loghub `st`). */
  readonly st: number;
  /** Children per internal node before new tokens are routed to `<*>`. */
  readonly maxChild?: number;
}

export interface Cluster {
  readonly id: number;
  tokens: string[];
  /** Lines matched so far. */
  size: number;
}

export interface MatchResult {
  readonly cluster: Cluster;
  /** `created`: a new template; `updated`: the template generalized; `matched`: unchanged. */
  readonly change: 'created' | 'updated' | 'matched';
}

interface Node {
  children: Map<string, Node> | undefined;
  clusters: Cluster[] | undefined;
}

const newNode = (): Node => ({ children: undefined, clusters: undefined });

export class Drain {
  readonly depth: number;
  readonly st: number;
  readonly maxChild: number;
  /** Layers of token nodes under the length layer (logparser's `self.depth`). */
  private readonly tokenLayers: number;
  private readonly root = new Map<number, Node>();
  /** Sequences shorter than the token layers: keyed exactly (see the class comment). */
  private readonly short = new Map<string, Cluster>();
  private readonly byId = new Map<number, Cluster>();
  private nextId = 1;

  constructor(opts: DrainOptions) {
    // Below 3 the reference behaves as 3 (leaves right under the length layer).
    if (!Number.isInteger(opts.depth) || opts.depth < 1)
      throw new Error(`depth must be an integer >= 1, got ${opts.depth}`);
    if (!(opts.st >= 0 && opts.st <= 1)) throw new Error(`st must be within [0, 1], got ${opts.st}`);
    const maxChild = opts.maxChild ?? 100;
    if (!Number.isInteger(maxChild) || maxChild < 2)
      throw new Error(`maxChild must be an integer >= 2, got ${maxChild}`);
    this.depth = opts.depth;
    this.st = opts.st;
    this.maxChild = maxChild;
    this.tokenLayers = Math.max(0, opts.depth - 2);
  }

  get size(): number {
    return this.byId.size;
  }

  clusters(): IterableIterator<Cluster> {
    return this.byId.values();
  }

  get(id: number): Cluster | undefined {
    return this.byId.get(id);
  }

  /** Add one (masked, tokenized) line; returns its cluster. Never throws on content. */
  add(tokens: readonly string[]): MatchResult {
    if (tokens.length < this.tokenLayers) return this.addShort(tokens);
    const degenerate = this.isDegenerate(tokens);
    if (degenerate) {
      const have = this.short.get(tokens.join(' '));
      if (have) {
        have.size++;
        return { cluster: have, change: 'matched' };
      }
    }
    const found = degenerate ? undefined : this.search(tokens);
    if (found === undefined) {
      const cluster = this.create(tokens);
      this.insert(cluster);
      if (degenerate) this.short.set(tokens.join(' '), cluster);
      return { cluster, change: 'created' };
    }
    found.size++;
    const t = found.tokens;
    let changed = false;
    for (let i = 0; i < t.length; i++) {
      if (t[i] !== tokens[i] && t[i] !== WILDCARD) {
        t[i] = WILDCARD;
        changed = true;
      }
    }
    return { cluster: found, change: changed ? 'updated' : 'matched' };
  }

  /** The cluster a line would join, without learning from it. */
  match(tokens: readonly string[]): Cluster | undefined {
    if (tokens.length < this.tokenLayers || this.isDegenerate(tokens)) return this.short.get(tokens.join(' '));
    return this.search(tokens);
  }

  /**
   * A line whose own non-`<*>` tokens are fewer than `st` of its length can match no template
   * (similarity only counts a template's non-`<*>` tokens equal to the line's), not even one
   * made from itself. The reference opens a new, never-matched cluster for every such line
   * (same tree path, same text; the benchmark merges them by text); here a repeat of the exact
   * line reuses the first one, which groups identically and keeps memory bounded.
   */
  private isDegenerate(tokens: readonly string[]): boolean {
    let plain = 0;
    for (const t of tokens) if (t !== WILDCARD) plain++;
    return plain / tokens.length < this.st;
  }

  private addShort(tokens: readonly string[]): MatchResult {
    const key = tokens.join(' ');
    const have = this.short.get(key);
    if (have) {
      have.size++;
      return { cluster: have, change: 'matched' };
    }
    const cluster = this.create(tokens);
    this.short.set(key, cluster);
    return { cluster, change: 'created' };
  }

  private create(tokens: readonly string[]): Cluster {
    const cluster: Cluster = { id: this.nextId++, tokens: [...tokens], size: 1 };
    this.byId.set(cluster.id, cluster);
    return cluster;
  }

  /** logparser `treeSearch` + `fastMatch`. */
  private search(tokens: readonly string[]): Cluster | undefined {
    let node = this.root.get(tokens.length);
    if (node === undefined) return undefined;
    for (let d = 1; d < this.tokenLayers && d <= tokens.length; d++) {
      const children: Map<string, Node> | undefined = node.children;
      const next: Node | undefined = children?.get(tokens[d - 1] as string) ?? children?.get(WILDCARD);
      if (next === undefined) return undefined;
      node = next;
    }
    const leaf = node.clusters;
    if (leaf === undefined) return undefined;
    let best: Cluster | undefined;
    let bestSim = -1;
    let bestParams = -1;
    for (const c of leaf) {
      let same = 0;
      let params = 0;
      const t = c.tokens;
      for (let i = 0; i < t.length; i++) {
        const tok = t[i];
        if (tok === WILDCARD) params++;
        else if (tok === tokens[i]) same++;
      }
      const sim = t.length === 0 ? 1 : same / t.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        bestSim = sim;
        bestParams = params;
        best = c;
      }
    }
    return bestSim >= this.st ? best : undefined;
  }

  /** logparser `addSeqToPrefixTree`, with the tokens the cluster was created from. */
  private insert(cluster: Cluster): void {
    const tokens = cluster.tokens;
    let node: Node | undefined = this.root.get(tokens.length);
    if (node === undefined) {
      node = newNode();
      this.root.set(tokens.length, node);
    }
    for (let d = 1; ; d++) {
      if (d >= this.tokenLayers || d > tokens.length) {
        if (node.clusters === undefined) node.clusters = [cluster];
        else node.clusters.push(cluster);
        return;
      }
      const token = tokens[d - 1] as string;
      node.children ??= new Map();
      const children: Map<string, Node> = node.children;
      const existing: Node | undefined = children.get(token);
      if (existing !== undefined) {
        node = existing;
        continue;
      }
      let next: Node | undefined;
      if (!hasNumbers(token)) {
        if (children.has(WILDCARD)) {
          if (children.size < this.maxChild) next = this.child(children, token);
          else next = children.get(WILDCARD);
        } else if (children.size + 1 < this.maxChild) next = this.child(children, token);
        else if (children.size + 1 === this.maxChild) next = this.child(children, WILDCARD);
        else next = children.get(WILDCARD);
      } else next = children.get(WILDCARD) ?? this.child(children, WILDCARD);
      // Unreachable by the rules above (a full node always has `<*>`), kept total for safety.
      node = next ?? this.child(children, WILDCARD);
    }
  }

  private child(children: Map<string, Node>, key: string): Node {
    const n = newNode();
    children.set(key, n);
    return n;
  }

  /** The whole model as JSON: the tree itself, so routing after a restart is unchanged. */
  snapshot(): DrainSnapshot {
    const enc = (n: Node): SnapNode => {
      const out: SnapNode = {};
      if (n.children) out.c = [...n.children].map(([k, v]) => [k, enc(v)]);
      if (n.clusters) out.l = n.clusters.map((c) => c.id);
      return out;
    };
    return {
      v: 1,
      depth: this.depth,
      st: this.st,
      maxChild: this.maxChild,
      nextId: this.nextId,
      clusters: [...this.byId.values()].map((c) => [c.id, c.size, c.tokens]),
      short: [...this.short].map(([k, c]) => [k, c.id]),
      tree: [...this.root].map(([len, n]) => [len, enc(n)]),
    };
  }

  static restore(s: DrainSnapshot): Drain {
    if (s.v !== 1) throw new Error(`unknown Drain snapshot version ${String(s.v)}`);
    const d = new Drain({ depth: s.depth, st: s.st, maxChild: s.maxChild });
    for (const [id, size, tokens] of s.clusters) d.byId.set(id, { id, size, tokens: [...tokens] });
    const cluster = (id: number): Cluster => {
      const c = d.byId.get(id);
      if (c === undefined) throw new Error(`Drain snapshot names unknown cluster ${id}`);
      return c;
    };
    const dec = (sn: SnapNode): Node => ({
      children: sn.c ? new Map(sn.c.map(([k, v]) => [k, dec(v)])) : undefined,
      clusters: sn.l ? sn.l.map(cluster) : undefined,
    });
    for (const [key, id] of s.short) d.short.set(key, cluster(id));
    for (const [len, n] of s.tree) d.root.set(len, dec(n));
    let next = Math.max(1, s.nextId);
    for (const id of d.byId.keys()) if (id >= next) next = id + 1;
    d.nextId = next;
    return d;
  }
}

interface SnapNode {
  c?: [string, SnapNode][];
  l?: number[];
}

export interface DrainSnapshot {
  v: 1;
  depth: number;
  st: number;
  maxChild: number;
  nextId: number;
  clusters: [number, number, string[]][];
  short: [string, number][];
  tree: [number, SnapNode][];
}
