/**
 * A Map bounded by size with approximately least-recently-used eviction, so a flood of spoofed
 * sources cannot grow memory; `evicted` is the metric that says the limit is too small.
 *
 * The Map's insertion order is the recency order, but a touch moves an entry to the end
 * (delete + set) only when at least half the capacity of insertions happened since it was last
 * placed there: the detector touches an entity at every window it closes, and a delete + set
 * per touch on a map of tens of thousands of keys was one of its largest costs. Eviction takes
 * the oldest placed entry; since an entry is re-placed when touched more than `max / 2`
 * placements after its last one, whatever is evicted was last used at least `max / 2`
 * placements ago: a recently active entity is never the one dropped.
 */
/** One entry, as `slot` hands it out; `live` turns false when the entry leaves the map. */
export interface LruSlot<V> {
  readonly value: V;
  placed: number;
  live: boolean;
}

export class Lru<V> {
  private readonly slots = new Map<string, LruSlot<V>>();
  /** Placements (insertions and moves to the end) so far. */
  private clock = 0;
  evicted = 0;
  constructor(readonly max: number) {}

  /** The value, marking it used. */
  get(key: string): V | undefined {
    const s = this.slots.get(key);
    if (s === undefined) return undefined;
    if (this.clock - s.placed > this.max / 2) {
      this.slots.delete(key);
      s.placed = this.clock++;
      this.slots.set(key, s);
    }
    return s.value;
  }

  /** The value without marking it used (look-ups on behalf of another entity's work). */
  peek(key: string): V | undefined {
    return this.slots.get(key)?.value;
  }

  /**
   * The entry itself, not marked used: a caller that will use it later (when a window closes)
   * keeps it and calls `touch`, which then costs no look-up while the entry is still here.
   */
  slot(key: string): LruSlot<V> | undefined {
    return this.slots.get(key);
  }

  /** `get(key)` for a slot taken from `slot(key)` earlier. */
  touch(key: string, s: LruSlot<V>): V | undefined {
    if (!s.live) return this.get(key);
    if (this.clock - s.placed > this.max / 2) {
      this.slots.delete(key);
      s.placed = this.clock++;
      this.slots.set(key, s);
    }
    return s.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.slots.set(key, { value, placed: this.clock++, live: true });
    while (this.slots.size > this.max) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
      this.evicted++;
    }
  }

  delete(key: string): boolean {
    const s = this.slots.get(key);
    if (s === undefined) return false;
    s.live = false;
    return this.slots.delete(key);
  }

  clear(): void {
    for (const s of this.slots.values()) s.live = false;
    this.slots.clear();
  }

  /** Entries from the least to the most recently placed. */
  *entries(): IterableIterator<[string, V]> {
    for (const [k, s] of this.slots) yield [k, s.value];
  }

  get size(): number {
    return this.slots.size;
  }
}
