/**
 * A bounded memo of values computed from strings, for the per-line work of detectors on values
 * logs repeat (User-Agents, referrers, URLs): a hit costs a hash of a few characters and one
 * comparison, where a `Map` would hash every character of every fresh string the parser cut
 * out of a line (and a key built by concatenation would first be copied whole).
 *
 * A fixed set-associative table (LRU within a set) bounds memory; an attacker varying every
 * value only turns lookups into misses, which cost the computation they would have cost anyway.
 * A memo never changes a result: it only serves functions of the string alone.
 */

/**
 * A cheap hash of the length and at most ~33 characters spread over the value. A collision only
 * costs a miss (a hit is confirmed by comparing the strings).
 */
export function sampleHash(s: string): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  const step = n > 32 ? n >> 5 : 1;
  for (let i = 0; i < n; i += step) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  if (n > 0) h = Math.imul(h ^ s.charCodeAt(n - 1), 0x01000193);
  return h ^ (h >>> 16);
}

export class StringMemo<T> {
  private readonly ways: number;
  private readonly mask: number;
  /** Entries ways*i .. ways*i+ways-1 form set i, most recent first. */
  private readonly keys: (string | undefined)[];
  private readonly vals: (T | undefined)[];
  /** Compared before the text: two equal-length strings cut from different lines compare in the V8 runtime. */
  private readonly hashes: Int32Array;
  /** The hash of the last `get`, so the `set` after a miss does not hash again. */
  private lastKey: string | undefined = undefined;
  private lastHash = 0;

  /**
   * @param sets Number of sets (a power of two).
   * @param ways Entries per set.
   * @param maxLength Longer keys are never kept (`get` misses, `set` ignores them): payloads and
   *   giant URLs are not worth the memory.
   */
  constructor(
    sets: number,
    ways: number,
    readonly maxLength: number,
  ) {
    if (sets <= 0 || (sets & (sets - 1)) !== 0) throw new Error(`StringMemo: sets must be a power of two, got ${sets}`);
    this.ways = ways;
    this.mask = sets - 1;
    this.keys = new Array<string | undefined>(sets * ways).fill(undefined);
    this.vals = new Array<T | undefined>(sets * ways).fill(undefined);
    this.hashes = new Int32Array(sets * ways);
  }

  /** The value remembered for `key`, or undefined. */
  get(key: string): T | undefined {
    if (key.length > this.maxLength) return undefined;
    const h = sampleHash(key);
    this.lastKey = key;
    this.lastHash = h;
    const ways = this.ways;
    const base = ways * (h & this.mask);
    const keys = this.keys;
    const hashes = this.hashes;
    for (let way = 0; way < ways; way++) {
      const i = base + way;
      if (hashes[i] === h && keys[i] === key) {
        const v = this.vals[i];
        if (way > 0) this.moveToFront(base, way, key, v, h);
        return v;
      }
    }
    return undefined;
  }

  /** Remember `value` for `key` (after a `get` that missed), evicting the least recent of its set. */
  set(key: string, value: T): void {
    if (key.length > this.maxLength) return;
    const h = key === this.lastKey ? this.lastHash : sampleHash(key);
    const base = this.ways * (h & this.mask);
    this.moveToFront(base, this.ways - 1, key, value, h);
  }

  private moveToFront(base: number, way: number, key: string, value: T | undefined, h: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const hashes = this.hashes;
    for (let i = base + way; i > base; i--) {
      keys[i] = keys[i - 1];
      vals[i] = vals[i - 1];
      hashes[i] = hashes[i - 1]!;
    }
    keys[base] = key;
    vals[base] = value;
    hashes[base] = h;
  }
}
