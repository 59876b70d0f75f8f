/**
 * Node id -> mass for one half-space tree's profile: an open-addressing hash table in typed
 * arrays. The trees are walked for every learned and scored window (25 trees x 16 levels), and
 * a `Map<number, number>` there costs a hash-table probe plus boxed entries per node; this
 * costs a multiply and an array read, and about a third of the memory.
 *
 * It iterates in insertion order, exactly as the Map it replaced, so snapshots keep their
 * layout. Node ids are heap ids (children of i are 2i+1 and 2i+2), below 2^31 for every depth
 * the configuration allows.
 */
export class MassTable {
  /** Slot -> node id + 1 (0: empty). */
  private keys: Int32Array;
  private vals: Float64Array;
  /** Node ids in insertion order (iteration, snapshots). */
  private order: Int32Array;
  private count = 0;
  private mask: number;

  constructor(capacity = 64) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Int32Array(cap);
    this.vals = new Float64Array(cap);
    this.order = new Int32Array(cap / 2);
    this.mask = cap - 1;
  }

  /** A table holding `entries` (a snapshot's `[node, mass]` pairs), in their order. */
  static from(entries: Iterable<readonly [number, number]>): MassTable {
    const t = new MassTable();
    for (const [node, mass] of entries) t.add(node, mass);
    return t;
  }

  get size(): number {
    return this.count;
  }

  /** Forget every node, keeping the capacity (the next block needs about as much). */
  clear(): void {
    this.keys.fill(0);
    this.count = 0;
  }

  private slot(node: number): number {
    const key = node + 1;
    const keys = this.keys;
    const mask = this.mask;
    let i = Math.imul(key, 0x9e3779b1) & mask;
    for (;;) {
      const k = keys[i] as number;
      if (k === key || k === 0) return i;
      i = (i + 1) & mask;
    }
  }

  /** The node's mass (0 when never counted). */
  get(node: number): number {
    const i = this.slot(node);
    return this.keys[i] === 0 ? 0 : (this.vals[i] as number);
  }

  /** Add `by` to the node's mass. */
  add(node: number, by: number): void {
    const i = this.slot(node);
    if (this.keys[i] !== 0) {
      this.vals[i] = (this.vals[i] as number) + by;
      return;
    }
    this.keys[i] = node + 1;
    this.vals[i] = by;
    this.order[this.count++] = node;
    // Load factor at most one half keeps probes short.
    if (this.count * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Int32Array(cap);
    this.vals = new Float64Array(cap);
    this.mask = cap - 1;
    const order = new Int32Array(cap / 2);
    order.set(this.order.subarray(0, this.count));
    this.order = order;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j] as number;
      if (k === 0) continue;
      const i = this.slot(k - 1);
      this.keys[i] = k;
      this.vals[i] = oldVals[j] as number;
    }
  }

  /** `[node, mass]` pairs in insertion order (what `[...map]` gave for the Map). */
  *[Symbol.iterator](): IterableIterator<[number, number]> {
    for (let j = 0; j < this.count; j++) {
      const node = this.order[j] as number;
      yield [node, this.get(node)];
    }
  }
}
